import { expect } from 'chai';
import type { Knex } from 'knex';
import { openMysql } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { migrations } from '../../../src/infrastructure/database/migrations/index.js';
import { createTestDatabase, requireService, type TestDatabase } from '../../support/services.js';

describe('schema migrations on MariaDB', () => {
  let database: TestDatabase;
  const connections: Knex[] = [];

  before(async function () {
    await requireService(this, 'mysql');
    database = await createTestDatabase('onsale_migrate');
  });
  after(async () => {
    for (const knex of connections) await knex.destroy();
    await database?.drop();
  });

  it('when four processes migrate a fresh database at once, then each migration runs exactly once', async () => {
    const processes = Array.from({ length: 4 }, () => openMysql(database.url, 2));
    connections.push(...processes);
    const applied = await Promise.all(processes.map((knex) => migrateToLatest(knex)));
    expect(applied.flat()).to.have.members(migrations.map((m) => m.name));
    const rows = await processes[0]!('knex_migrations').select('name');
    expect(rows.map((r: { name: string }) => r.name)).to.deep.equal(migrations.map((m) => m.name));
  });

  it('when a process died holding the schema lock, then the next one takes it over once its lease ran out', async () => {
    const other = await createTestDatabase('onsale_migrate');
    const knex = openMysql(other.url, 2);
    try {
      await knex.raw(
        'CREATE TABLE onsale_migration_lock (id INT NOT NULL PRIMARY KEY, owner VARCHAR(64) NOT NULL, expires_at BIGINT NOT NULL)',
      );
      await knex('onsale_migration_lock').insert({ id: 1, owner: 'crashed', expires_at: Date.now() - 1 });
      expect(await migrateToLatest(knex)).to.deep.equal(migrations.map((m) => m.name));
      expect(await knex('onsale_migration_lock').select()).to.deep.equal([]);
    } finally {
      await knex.destroy();
      await other.drop();
    }
  });
});
