import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../../src/infrastructure/database/knex.js';
import { migrations } from '../../../src/infrastructure/database/migrations/index.js';
import { freePort, freePortRun } from '../../support/free-port.js';
import { hasTool } from '../../support/require-tool.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { findSshd, SSHD_CANDIDATES, startThrowawaySshd, type ThrowawaySshd } from '../../support/throwaway-sshd.js';

const root = path.resolve(import.meta.dirname, '../../..');
const supervisor = path.join(root, 'tests/integration/ops/deploy-supervisor.sh');

/** ops/deploy/deploy.sh with `settings` as its DEPLOY_* environment; its exit code and output. */
function deploy(settings: Record<string, string>, host: string, release: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(root, 'ops/deploy/deploy.sh'), host, release], {
      env: { ...process.env, DEPLOY_CONFIG: '/dev/null', ...settings },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

async function ready(port: number): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.status,
    () => 0,
  );
}

/**
 * The deploy script end to end against a host on this machine: a throwaway sshd on a free port
 * (its own key pair; root logs in to 127.0.0.1), two instances on their own ports restarted by a
 * small supervisor where production has `systemctl restart onsale@<port>`, MariaDB of the test.
 */
describe('ops/deploy/deploy.sh against a local sshd', function () {
  this.timeout(240_000);
  const dir = tempDataDir();
  const host = 'root@127.0.0.1';
  const deployRoot = path.join(dir.dir, 'opt-onsale');
  const state = path.join(dir.dir, 'supervisor');
  let sshd: ThrowawaySshd | undefined;
  let database: TestDatabase | undefined;
  let ports: number[] = [];
  let settings: Record<string, string> = {};
  let good = '';
  let broken = '';
  let unmigratable = '';
  let first: { code: number; output: string };
  let nginx: { base: string; env: NodeJS.ProcessEnv } | undefined;

  before(async function () {
    const binary = findSshd();
    if (!binary) {
      if (process.env.CI === 'true')
        throw new Error(`sshd is required under CI=true (.ci/run unpacks openssh-server): none of ${SSHD_CANDIDATES.join(', ')}`);
      console.warn(`      (skipped: no sshd at ${SSHD_CANDIDATES.join(', ')}: .ci/run unpacks openssh-server)`);
      return this.skip();
    }
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    mkdirSync(state);
    mkdirSync(path.join(dir.dir, 'ssh'));
    sshd = await startThrowawaySshd(binary, path.join(dir.dir, 'ssh'));
    database = await createTestDatabase('onsale_deploy');
    const base = await freePortRun(2, [sshd.port]);
    ports = [base, base + 1];
    const envFile = path.join(dir.dir, 'onsale.env');
    writeFileSync(
      envFile,
      [
        'NODE_ENV=production',
        'HOST=127.0.0.1',
        'WORKERS=1',
        'LOG_LEVEL=warn',
        `DATA_DIR=${path.join(dir.dir, 'data')}`,
        `MYSQL_URL=${database.url}`,
        `REDIS_URL=${TEST_REDIS_URL}`,
        `JWT_SECRET=${'deploy-test-secret-'.repeat(3)}`,
        `ADMISSION_KEYS=k1:${'deploy-test-admission-'.repeat(2)}`,
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(dir.dir, 'data'));
    settings = {
      DEPLOY_ROOT: deployRoot,
      DEPLOY_PORTS: ports.join(' '),
      DEPLOY_RESTART: `SUPERVISOR_DIR=${state} ONSALE_ROOT=${deployRoot} ONSALE_ENV_FILE=${envFile} ${supervisor} restart {port}`,
      DEPLOY_ENV_FILE: envFile,
      DEPLOY_HEALTH_TIMEOUT: '20',
      DEPLOY_KEEP: '2',
      DEPLOY_SSH_OPTS: sshd.sshOptions.join(' '),
      // node and npm of this run (Node 22/24), not the host's default PATH
      DEPLOY_REMOTE_PATH: path.dirname(process.execPath),
      DEPLOY_NPM_FLAGS: '--omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline',
    };
    // the release: this tree, built and packed as deploy.sh does without a file
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir.dir], { cwd: root, stdio: 'pipe' });
    good = path.join(
      dir.dir,
      readdirSync(dir.dir).find((name) => name.endsWith('.tgz'))!,
    );
    // a broken release: the same, but its server exits at start
    const unpacked = path.join(dir.dir, 'broken');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', good, '-C', unpacked]);
    writeFileSync(path.join(unpacked, 'package/dist/src/main.js'), "console.error('broken on purpose'); process.exit(1);\n");
    broken = path.join(dir.dir, 'broken.tgz');
    execFileSync('tar', ['-czf', broken, '-C', unpacked, 'package']);
    // one whose migration fails (its CLI exits 1): it must never go live
    writeFileSync(path.join(unpacked, 'package/dist/src/cli.js'), "console.error('migration failed on purpose'); process.exit(1);\n");
    unmigratable = path.join(dir.dir, 'unmigratable.tgz');
    execFileSync('tar', ['-czf', unmigratable, '-C', unpacked, 'package']);
    // three old releases already there: with DEPLOY_KEEP=2 only the newest of them stays
    for (const old of ['20000101T000000Z-0.0.1-aaaaaa', '20000102T000000Z-0.0.2-bbbbbb', '20000103T000000Z-0.0.3-cccccc'])
      mkdirSync(path.join(deployRoot, 'releases', old), { recursive: true });
    first = await deploy(settings, host, good);
    // Nginx in front of both ports, as in production (ops/nginx/run.sh installs it under CI)
    if (hasTool('nginx') || process.env.CI === 'true') {
      const listen = await freePort();
      const env = {
        ...process.env,
        NGINX_LISTEN: `127.0.0.1:${listen}`,
        ONSALE_UPSTREAMS: ports.map((port) => `127.0.0.1:${port}`).join(','),
        NGINX_PREFIX: path.join(dir.dir, 'nginx'),
        NGINX_WORKERS: '1',
        WEB_ROOT: path.join(deployRoot, 'current/web/dist'),
      };
      execFileSync('bash', [path.join(root, 'ops/nginx/run.sh'), 'start'], { env, stdio: 'ignore' });
      nginx = { base: `http://127.0.0.1:${listen}`, env };
    }
  });

  after(async () => {
    if (nginx) execFileSync('bash', [path.join(root, 'ops/nginx/run.sh'), 'stop'], { env: nginx.env, stdio: 'ignore' });
    for (const file of existsSync(state) ? readdirSync(state).filter((name) => name.endsWith('.pid')) : []) {
      const pid = Number(readFileSync(path.join(state, file), 'utf8'));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sshd?.stop();
    await database?.drop();
    dir.remove();
  });

  /** Runs `action` while a client asks Nginx for /api/shows without a pause; every answer's status. */
  async function whileAsking<T>(action: () => Promise<T>): Promise<{ result: T; answers: number[] }> {
    const answers: number[] = [];
    let polling = Boolean(nginx);
    const poller = (async () => {
      while (polling) {
        const status = await fetch(`${nginx!.base}/api/shows`, { signal: AbortSignal.timeout(10_000) }).then(
          (response) => response.status,
          () => 0,
        );
        answers.push(status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      return { result: await action(), answers };
    } finally {
      polling = false;
      await poller;
    }
  }

  function expectNoneLost(answers: number[]): void {
    if (!nginx) return;
    expect(answers.length, 'requests made through Nginx during the deploy').to.be.greaterThan(50);
    expect(
      answers.filter((status) => status !== 200),
      'answers other than 200 through Nginx',
    ).to.deep.equal([]);
  }

  const live = () => path.basename(readlinkSync(path.join(deployRoot, 'current')));

  it('when the tree is deployed, then it is migrated, current points at the new release, every port is ready, old releases pruned', async () => {
    expect(first.code, first.output).to.equal(0);
    expect(first.output).to.match(/is live on/);
    expect(readdirSync(path.join(deployRoot, 'releases')).sort(), 'DEPLOY_KEEP=2').to.deep.equal(['20000103T000000Z-0.0.3-cccccc', live()]);
    expect(existsSync(path.join(deployRoot, 'releases', live(), 'node_modules/koa')), 'production dependencies installed').to.equal(true);
    expect(existsSync(path.join(deployRoot, 'releases', live(), 'node_modules/mocha')), 'no dev dependency').to.equal(false);
    for (const port of ports) expect(await ready(port), `port ${port}`).to.equal(200);
    expect(first.output).to.match(/migrating the database/);
    const knex = openDatabase({ mysqlUrl: database!.url, dataDir: dir.dir });
    try {
      const [row] = (await knex('knex_migrations').count({ n: '*' })) as { n: number }[];
      expect(Number(row!.n), 'migrations applied by the deploy').to.equal(migrations.length);
    } finally {
      await knex.destroy();
    }
  });

  it('when the next release is deployed, then both ports restart in turn and no request through Nginx is lost', async () => {
    const previous = live();
    const pids = ports.map((port) => readFileSync(path.join(state, `onsale-${port}.pid`), 'utf8'));
    const { result, answers } = await whileAsking(() => deploy(settings, host, good));
    expect(result.code, result.output).to.equal(0);
    expect(live()).not.to.equal(previous);
    expect(readdirSync(path.join(deployRoot, 'releases')).sort(), 'DEPLOY_KEEP=2').to.deep.equal([previous, live()]);
    for (const [i, port] of ports.entries()) {
      expect(await ready(port), `port ${port}`).to.equal(200);
      expect(readFileSync(path.join(state, `onsale-${port}.pid`), 'utf8'), `port ${port} restarted`).not.to.equal(pids[i]);
    }
    expectNoneLost(answers);
  });

  it('when the migration of a release fails, then nothing is switched or restarted and the release is removed', async () => {
    const previous = live();
    const releases = readdirSync(path.join(deployRoot, 'releases')).sort();
    const pids = ports.map((port) => readFileSync(path.join(state, `onsale-${port}.pid`), 'utf8'));
    const result = await deploy(settings, host, unmigratable);
    expect(result.code, result.output).to.equal(1);
    expect(result.output).to.match(/the migration failed/);
    expect(live()).to.equal(previous);
    expect(readdirSync(path.join(deployRoot, 'releases')).sort()).to.deep.equal(releases);
    expect(readdirSync(path.join(deployRoot, 'incoming')), 'nothing left in incoming').to.deep.equal([]);
    for (const [i, port] of ports.entries()) expect(readFileSync(path.join(state, `onsale-${port}.pid`), 'utf8')).to.equal(pids[i]);
  });

  it('when a release whose server exits at start is deployed, then it rolls back and the previous release still serves', async () => {
    const previous = live();
    const pids = ports.map((port) => readFileSync(path.join(state, `onsale-${port}.pid`), 'utf8'));
    // a server that exits at start never gets ready: no need to wait long for it
    const { result, answers } = await whileAsking(() => deploy({ ...settings, DEPLOY_HEALTH_TIMEOUT: '8' }, host, broken));
    expect(result.code, result.output).to.equal(2);
    expect(result.output).to.match(/not ready within 8 s/);
    expect(result.output).to.match(/rolled back/);
    expect(live()).to.equal(previous);
    expect(readdirSync(path.join(deployRoot, 'releases')), 'the broken release is removed')
      .to.include(previous)
      .and.to.have.length(2);
    for (const port of ports) expect(await ready(port), `port ${port}`).to.equal(200);
    // the first port was restarted twice (broken, then back); the second was never touched
    expect(readFileSync(path.join(state, `onsale-${ports[0]}.pid`), 'utf8')).not.to.equal(pids[0]);
    expect(readFileSync(path.join(state, `onsale-${ports[1]}.pid`), 'utf8')).to.equal(pids[1]);
    expectNoneLost(answers);
  });
});
