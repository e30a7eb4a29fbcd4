import type { Knex } from 'knex';
import type { EventStore } from '../../src/application/ports/event-store.js';
import { openMysql, openSqlite } from '../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../src/infrastructure/database/migrate.js';
import { MysqlEventStore } from '../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store.js';
import { createTestDatabase, requireService } from './services.js';
import { tempDataDir } from './temp-dir.js';

/** Event stores on one database, each on connections of its own, as separate processes would be. */
export interface StoreProcesses {
  open(): Promise<EventStore>;
  teardown(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  start(context: Mocha.Context): Promise<StoreProcesses>;
}

/** SQLite (a fresh file) and MariaDB (a fresh database, skipped with a message when absent outside CI). */
export const STORE_BACKENDS: StoreBackend[] = [
  { name: 'SQLite', start: async () => sqliteProcesses() },
  { name: 'MySQL/MariaDB', start: mysqlProcesses },
];

async function sqliteProcesses(): Promise<StoreProcesses> {
  const dir = tempDataDir();
  return processes(
    () => openSqlite(`${dir.dir}/onsale.sqlite`),
    (knex) => new SqliteEventStore(knex),
    async () => dir.remove(),
  );
}

async function mysqlProcesses(context: Mocha.Context): Promise<StoreProcesses> {
  await requireService(context, 'mysql');
  const database = await createTestDatabase('onsale_procs');
  return processes(
    () => openMysql(database.url, 4),
    (knex) => MysqlEventStore.open(knex),
    () => database.drop(),
  );
}

function processes(
  connect: () => Knex,
  store: (knex: Knex) => EventStore | Promise<EventStore>,
  cleanup: () => Promise<void>,
): StoreProcesses {
  const connections: Knex[] = [];
  return {
    open: async () => {
      const knex = connect();
      if (connections.push(knex) === 1) await migrateToLatest(knex);
      return store(knex);
    },
    teardown: async () => {
      for (const knex of connections) await knex.destroy();
      await cleanup();
    },
  };
}
