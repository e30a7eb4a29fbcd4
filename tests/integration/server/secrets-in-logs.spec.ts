import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
  leastPrivilegeEnvironment,
  MYSQL_TEST_PASSWORD,
  REDIS_TEST_PASSWORD,
  type LeastPrivilegeEnvironment,
} from '../../support/least-privilege-environment.js';
import { startServerProcess, type ServerProcess } from '../../support/server-process.js';
import { tempDataDir } from '../../support/temp-dir.js';

const JWT_SECRET = `jwt-secret-${'s'.repeat(32)}`;
const ADMISSION_SECRET = 'admission-secret-0123456789';
const WRONG_MYSQL_PASSWORD = 'wr0ng-mysql p@ss:/%#';
const WRONG_REDIS_PASSWORD = 'wr0ng-redis p@ss:/%#';

/** Every secret, as given and as a URL carries it. */
const SECRETS = [
  MYSQL_TEST_PASSWORD,
  REDIS_TEST_PASSWORD,
  JWT_SECRET,
  ADMISSION_SECRET,
  WRONG_MYSQL_PASSWORD,
  WRONG_REDIS_PASSWORD,
].flatMap((secret) => [secret, encodeURIComponent(secret)]);

function expectNoSecret(text: string, where: string): void {
  expect(text.length, `${where} is empty`).to.be.greaterThan(0);
  for (const secret of SECRETS)
    expect(
      text.includes(secret),
      `${where} contains a secret: ${text.slice(Math.max(0, text.indexOf(secret) - 300), text.indexOf(secret) + 100)}`,
    ).to.equal(false);
}

/** Output of a server process: stdout and stderr as they come. */
// from the spawn on: a wrong password is logged while the server starts
const collect = (server: ServerProcess) => () => server.output();

describe('secrets from files never reach logs, error messages or /metrics', function () {
  this.timeout(180_000);
  let stores: LeastPrivilegeEnvironment;
  const data = tempDataDir();
  let env: Record<string, string>;
  const file = (name: string, content: string) => {
    const where = path.join(stores.dir, name);
    writeFileSync(where, `${content}\n`);
    return where;
  };

  before(async function () {
    stores = await leastPrivilegeEnvironment(this, 'onsale_secrets');
    const mysqlUrl = new URL(stores.env.MYSQL_URL!);
    mysqlUrl.password = '';
    env = {
      ...stores.env,
      MYSQL_URL: mysqlUrl.toString(),
      MYSQL_PASSWORD_FILE: file('mysql-password', MYSQL_TEST_PASSWORD),
      JWT_SECRET_FILE: file('jwt-secret', JWT_SECRET),
      ADMISSION_KEYS_FILE: file('admission-keys', `k1:${ADMISSION_SECRET}`),
      DATA_DIR: data.dir,
      LOG_LEVEL: 'debug',
    };
  });

  after(async () => {
    await stores?.cleanup();
    data.remove();
  });

  it('when the MySQL or Redis password is wrong, then the errors say so without it', async () => {
    const mysqlDenied = await startServerProcess({ ...env, MYSQL_PASSWORD_FILE: file('wrong-mysql', WRONG_MYSQL_PASSWORD) }, 30_000).catch(
      (error: Error) => error.message,
    );
    expect(mysqlDenied).to.match(/Access denied for user 'onsale'/);
    expectNoSecret(String(mysqlDenied), 'the failed start');

    const server = await startServerProcess({ ...env, REDIS_PASSWORD_FILE: file('wrong-redis', WRONG_REDIS_PASSWORD) });
    const output = collect(server);
    try {
      expect((await fetch(`http://127.0.0.1:${server.port}/health/ready`)).status).to.equal(503);
      expectNoSecret(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text(), '/metrics');
    } finally {
      await server.stop();
    }
    expect(output()).to.match(/WRONGPASS/);
    expectNoSecret(output(), 'the server log');
  });

  it('when a server runs on secrets from files, fails logins, and loses Redis, then none of them is logged or in /metrics', async () => {
    const server = await startServerProcess(env);
    const output = collect(server);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const signUp = await fetch(`${base}/api/members`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'secrets@onsale.test', password: 'a long enough password', name: 'Ada' }),
      });
      expect(signUp.status).to.equal(201);
      const logIn = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'secrets@onsale.test', password: 'not the password at all' }),
      });
      expect(logIn.status).to.be.within(400, 499);
      expect((await fetch(`${base}/health/ready`)).status).to.equal(200);
      await stores.redis.stop(); // a refused connection from now on
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await fetch(`${base}/health/ready`)).status).to.equal(503);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expectNoSecret(metrics, '/metrics');
    } finally {
      await server.stop();
    }
    expect(output()).to.match(/redis error/);
    expectNoSecret(output(), 'the server log');
  });
});
