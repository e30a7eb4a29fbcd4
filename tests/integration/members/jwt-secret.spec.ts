import { statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { openMysql } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { resolveJwtSecret } from '../../../src/infrastructure/members/jwt-secret.js';
import { startServer } from '../../../src/infrastructure/server.js';
import { createTestDatabase, requireService } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { MembersServer } from './members-server.js';

describe('the JWT signing secret', () => {
  it('when embedded with no JWT_SECRET, then one is generated into DATA_DIR (0600) and survives a restart', async function () {
    const first = await MembersServer.start(this, 'embedded');
    const dataDir = first.env.DATA_DIR!;
    try {
      const member = await first.member();
      await first.running.close();
      const file = path.join(dataDir, 'jwt-secret');
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      const again = await startServer(loadConfig(first.env));
      try {
        const me = await fetch(`http://127.0.0.1:${again.port}/api/members/me`, { headers: { authorization: `Bearer ${member.token}` } });
        expect(me.status).to.equal(200);
      } finally {
        await again.close();
      }
    } finally {
      await first.cleanup();
    }
  });

  it('when JWT_SECRET is set, then no file is written and a token from another secret fails', async function () {
    const data = tempDataDir();
    const config = (secret: string) =>
      loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: data.dir, JWT_SECRET: secret });
    try {
      const one = await MembersServer.start(this, 'embedded', { DATA_DIR: data.dir, JWT_SECRET: 'a'.repeat(40) });
      const member = await one.member();
      await one.running.close();
      expect(() => statSync(path.join(data.dir, 'jwt-secret'))).to.throw();
      const two = await startServer(config('b'.repeat(40)));
      try {
        const me = await fetch(`http://127.0.0.1:${two.port}/api/members/me`, { headers: { authorization: `Bearer ${member.token}` } });
        expect(me.status).to.equal(401);
      } finally {
        await two.close();
      }
    } finally {
      data.remove();
    }
  });

  it('when two servers share MariaDB with no JWT_SECRET, then they generate one secret and accept each other’s tokens', async function () {
    await requireService(this, 'mysql');
    const database = await createTestDatabase('onsale_members_secret');
    const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', MYSQL_URL: database.url };
    // One after the other: two first starts at once race in knex's own migrations table.
    const a = await startServer(loadConfig(env));
    const b = await startServer(loadConfig(env));
    try {
      const signed = await fetch(`http://127.0.0.1:${a.port}/api/members`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'shared@example.org', password: 'correct horse battery', name: 'Shared' }),
      });
      expect(signed.status).to.equal(201);
      const login = await fetch(`http://127.0.0.1:${a.port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'shared@example.org', password: 'correct horse battery' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const me = await fetch(`http://127.0.0.1:${b.port}/api/members/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(me.status).to.equal(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    }
  });

  it('when several processes generate the MariaDB secret at once, then they all get the same one', async function () {
    await requireService(this, 'mysql');
    const database = await createTestDatabase('onsale_members_secret');
    const config = loadConfig({ MYSQL_URL: database.url, LOG_LEVEL: 'silent' });
    const connections = Array.from({ length: 5 }, () => openMysql(database.url, 2));
    try {
      await migrateToLatest(connections[0]!);
      const logger = createLogger('silent');
      const secrets = await Promise.all(connections.map((knex) => resolveJwtSecret(config, knex, logger)));
      const distinct = new Set(secrets.map((secret) => Buffer.from(secret).toString('hex')));
      expect(distinct.size).to.equal(1);
      expect(secrets[0]!.length).to.be.at.least(32);
    } finally {
      await Promise.all(connections.map((knex) => knex.destroy()));
      await database.drop();
    }
  });
});
