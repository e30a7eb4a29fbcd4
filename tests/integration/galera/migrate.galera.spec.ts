import { expect } from 'chai';
import type { Knex } from 'knex';
import { openMysql } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { migrations } from '../../../src/infrastructure/database/migrations/index.js';
import { galeraCluster, type GaleraCluster } from '../../support/galera.js';

describe('schema migrations on Galera', () => {
  let galera: GaleraCluster;
  let database: Awaited<ReturnType<GaleraCluster['createDatabase']>>;
  const connections: Knex[] = [];

  before(async function () {
    galera = await galeraCluster(this);
    database = await galera.createDatabase('onsale_migrate');
  });
  after(async () => {
    for (const knex of connections) await knex.destroy();
    await database?.drop();
  });

  it('when processes on all three nodes migrate a fresh database at once, then each migration runs exactly once (a lock row, not GET_LOCK)', async function () {
    this.timeout(120_000);
    const processes = [1, 2, 3, 1].map((node) => openMysql(`${galera.nodeUrl(node)}/${database.name}`, 2));
    connections.push(...processes);
    const applied = await Promise.all(processes.map((knex) => migrateToLatest(knex)));
    expect(applied.flat()).to.have.members(migrations.map((m) => m.name));
    for (const knex of processes.slice(0, 3)) {
      const rows = await knex.raw('SET STATEMENT wsrep_sync_wait = 1 FOR SELECT name FROM knex_migrations ORDER BY id');
      expect(rows[0].map((r: { name: string }) => r.name)).to.deep.equal(migrations.map((m) => m.name));
    }
  });
});
