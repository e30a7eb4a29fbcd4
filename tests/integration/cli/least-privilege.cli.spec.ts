import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { SeedOutput } from '../../../src/infrastructure/cli/seed-output.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { startServer } from '../../../src/infrastructure/server.js';
import {
  leastPrivilegeEnvironment,
  MYSQL_TEST_PASSWORD,
  RUNTIME_GRANTS,
  type LeastPrivilegeEnvironment,
} from '../../support/least-privilege-environment.js';
import { tempDataDir } from '../../support/temp-dir.js';

const run = promisify(execFile);

describe('the CLI as a user with a password and rights on its own database only (TLS)', function () {
  this.timeout(180_000);
  let stores: LeastPrivilegeEnvironment;
  const data = tempDataDir();

  before(async function () {
    stores = await leastPrivilegeEnvironment(this, 'onsale_cli');
  });

  after(async () => {
    await stores?.cleanup();
    data.remove();
  });

  const cli = (args: string[], env: Record<string, string> = stores.env) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } });

  it('when it migrates, seeds and rebuilds the projections, then each step succeeds through that user', async () => {
    expect((await cli(['migrate'])).stdout).to.match(/^applied: 001-event-store/);
    const out = path.join(data.dir, 'seed.json');
    await cli(['seed', '--members', '5', '--show', 'reserved', '--seats', '20', '--out', out]);
    const rebuilt = await cli(['projections', 'rebuild', '--all']);
    expect(rebuilt.stdout).to.match(/seat-map/);
    const status = await cli(['projections', 'status', '--json']);
    const statuses = JSON.parse(status.stdout) as { name: string; position: number; head: number }[];
    expect(statuses.length).to.be.greaterThan(0);
    for (const projection of statuses) expect(projection.position, projection.name).to.equal(projection.head);
  });

  it('when the schema is migrated, then a server whose user may only read and write rows sells a seat', async () => {
    const seed = JSON.parse(readFileSync(path.join(data.dir, 'seed.json'), 'utf8')) as SeedOutput;
    await stores.rootSql(`CREATE USER 'runtime'@'%' IDENTIFIED BY ?`, [MYSQL_TEST_PASSWORD]);
    const database = new URL(stores.env.MYSQL_URL!).pathname.slice(1);
    await stores.rootSql(`GRANT ${RUNTIME_GRANTS} ON \`${database}\`.* TO 'runtime'@'%'`);
    const url = new URL(stores.env.MYSQL_URL!);
    url.username = 'runtime';
    const config = loadConfig({ ...stores.env, MYSQL_URL: url.toString(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const server = await startServer(config);
    try {
      const [show, member] = [seed.shows[0]!, seed.members[0]!];
      const post = (path: string, body?: unknown) =>
        fetch(`http://127.0.0.1:${server.port}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${member.accessToken}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const held = await post(`/api/shows/${show.id}/holds`, { seats: [show.seats[0]] });
      expect(held.status).to.equal(201);
      const confirmed = await post(`/api/holds/${((await held.json()) as { holdId: string }).holdId}/confirm`);
      expect(confirmed.status).to.equal(201);
    } finally {
      await server.close();
    }
  });

  it('when its database is missing and the user may not create it, then it stops with one line naming both', async () => {
    const password = 'n0 cre@te:/%#';
    await stores.rootSql(`CREATE USER 'reader'@'%' IDENTIFIED BY ?`, [password]);
    await stores.rootSql("GRANT SELECT, INSERT, UPDATE, DELETE ON `onsale_missing`.* TO 'reader'@'%'");
    const passwordFile = path.join(data.dir, 'reader-password');
    writeFileSync(passwordFile, `${password}\n`);
    const env = {
      MYSQL_URL: `mysql://reader@127.0.0.1:${stores.mysqlPort}/onsale_missing?${stores.tlsQuery}`,
      MYSQL_PASSWORD_FILE: passwordFile,
    };
    const failed = (await cli(['migrate'], env).catch((error) => error)) as { code: number; stderr: string };
    expect(failed.code).to.equal(1);
    expect(failed.stderr.trim().split('\n')).to.deep.equal([
      "onsale: database \"onsale_missing\" does not exist and 'reader'@'%' may not create it: " +
        'create it as an administrator (CREATE DATABASE `onsale_missing` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin) or GRANT CREATE ON `onsale_missing`.* to this user',
    ]);
  });
});
