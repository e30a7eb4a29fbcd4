import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { tempDataDir } from '../../support/temp-dir.js';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * The Dockerfile's steps without Docker: build, `npm pack` (only what package.json "files" names),
 * then in a clean folder far from the repository `npm ci --omit=dev` from the packed app and the
 * lockfile, and start it as the image does. A file the release misses fails here, not on sale day.
 */
describe('the image steps (Dockerfile) in a clean folder', function () {
  this.timeout(300_000);
  const dir = tempDataDir();
  const app = path.join(dir.dir, 'app');
  const data = path.join(dir.dir, 'data');
  let child: ChildProcess | undefined;
  let base = '';
  let output = '';

  before(async () => {
    const npm = (cwd: string, ...args: string[]) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    npm(root, 'run', 'build');
    npm(root, 'pack', '--ignore-scripts', '--pack-destination', dir.dir);
    const tarball = readdirSync(dir.dir).find((name) => name.endsWith('.tgz'))!;
    mkdirSync(app);
    execFileSync('tar', ['-xzf', path.join(dir.dir, tarball), '--strip-components=1', '-C', app]);
    copyFileSync(path.join(root, 'package-lock.json'), path.join(app, 'package-lock.json'));
    copyFileSync(path.join(root, '.npmrc'), path.join(app, '.npmrc'));
    npm(app, 'ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: data,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    dir.remove();
  });

  it('when installed with production dependencies only, then no dev dependency is there', () => {
    for (const dev of ['typescript', 'mocha', 'tsx', 'vite', 'eslint'])
      expect(existsSync(path.join(app, 'node_modules', dev)), dev).to.equal(false);
    for (const prod of ['koa', 'knex', 'prom-client', 'better-sqlite3'])
      expect(existsSync(path.join(app, 'node_modules', prod)), prod).to.equal(true);
    expect(existsSync(path.join(app, 'src')), 'TypeScript sources are not shipped').to.equal(false);
  });

  it('when started as the image starts it, then /health/ready answers 200', async () => {
    let status = 0;
    for (let i = 0; i < 120 && status !== 200; i++) {
      if (child!.exitCode !== null) throw new Error(`the packed server exited (${child!.exitCode}):\n${output}`);
      status = await fetch(`${base}/health/ready`).then(
        (response) => response.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status, output).to.equal(200);
  });

  it('when the web front end and the metrics are asked, then the release carries them', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.match(/<div id="app"|<script/);
    expect((await fetch(`${base}/metrics`)).status).to.equal(200);
  });

  it('when the CLI of the release is run, then it answers its help', () => {
    expect(execFileSync(process.execPath, ['dist/src/cli.js', '--help'], { cwd: app, encoding: 'utf8' })).to.match(/Usage: onsale/);
  });

  it('when sent SIGTERM (as docker stop does), then it exits cleanly', async () => {
    child!.kill('SIGTERM');
    const [code] = (await once(child!, 'exit')) as [number | null];
    expect(code, output).to.equal(0);
  });
});
