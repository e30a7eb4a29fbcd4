import { expect } from 'chai';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { SESSION_EPOCH_CACHE_MS } from '../../../src/infrastructure/members/sql-member-directory.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { uniqueEmail } from './members-server.js';

const PASSWORD = 'correct horse battery';

describe('members across two servers on one database (separate containers and caches; MariaDB + Redis)', function () {
  let database: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;

  before(async function () {
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    database = await createTestDatabase('onsale_members_two');
    const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL };
    a = await startServer(loadConfig(env));
    b = await startServer(loadConfig(env));
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  const call = async (server: RunningServer, method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  it('when a member signs up on one server, then the other logs them in and shows the profile at once', async () => {
    const email = uniqueEmail();
    expect((await call(a, 'POST', '/api/members', { email, password: PASSWORD, name: 'Across' })).status).to.equal(201);
    const login = await call(b, 'POST', '/api/auth/login', { email, password: PASSWORD });
    expect(login.status).to.equal(200);
    const me = await call(a, 'GET', '/api/members/me', undefined, login.body.accessToken);
    expect(me.body).to.include({ email, name: 'Across' });
  });

  it('when the password changes on one server, then the other refuses older tokens at once, long before its cache would expire', async () => {
    const email = uniqueEmail();
    await call(a, 'POST', '/api/members', { email, password: PASSWORD, name: 'Revoked' });
    const token = (await call(a, 'POST', '/api/auth/login', { email, password: PASSWORD })).body.accessToken as string;
    expect((await call(b, 'GET', '/api/members/me', undefined, token)).status).to.equal(200);
    const changed = await call(a, 'PUT', '/api/members/me/password', { currentPassword: PASSWORD, newPassword: 'another password' }, token);
    expect(changed.status).to.equal(204);
    expect((await call(a, 'GET', '/api/members/me', undefined, token)).status, 'at once where it changed').to.equal(401);
    // The other server cached the epoch for SESSION_EPOCH_CACHE_MS; only the announcement can make it this quick.
    expect(SESSION_EPOCH_CACHE_MS).to.be.greaterThan(5000);
    const deadline = Date.now() + 1000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await call(b, 'GET', '/api/members/me', undefined, token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status, 'on the other server').to.equal(401);
  });
});
