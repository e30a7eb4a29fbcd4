import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { EventStore } from '../src/application/ports/event-store.js';
import { ensureMysqlDatabase, openMysql, openSqlite } from '../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../src/infrastructure/database/migrate.js';
import { MysqlEventStore } from '../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store.js';

export interface BenchDb {
  database: string;
  knex: Knex;
  eventStore: EventStore;
  /** For MySQL, the URL of the database (to hand to the CLI as MYSQL_URL). */
  url?: string;
  /** For SQLite, the DATA_DIR holding onsale.sqlite. */
  dataDir?: string;
  close(drop: boolean): Promise<void>;
}

/** A migrated SQLite file in a temporary DATA_DIR. */
export async function openSqliteBench(dataDir = mkdtempSync(path.join(tmpdir(), 'onsale-bench-'))): Promise<BenchDb> {
  const knex = openSqlite(path.join(dataDir, 'onsale.sqlite'));
  await migrateToLatest(knex);
  const eventStore = new SqliteEventStore(knex);
  return {
    database: 'SQLite',
    knex,
    eventStore,
    dataDir,
    close: async (drop) => {
      await eventStore.close();
      await knex.destroy();
      if (drop) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A migrated MariaDB/MySQL database, named or fresh. */
export async function openMysqlBench(serverUrl: string, name = `onsale_bench_${randomBytes(3).toString('hex')}`): Promise<BenchDb> {
  const url = `${serverUrl.replace(/\/$/, '')}/${name}`;
  await ensureMysqlDatabase(url);
  const knex = openMysql(url, 6);
  await migrateToLatest(knex);
  const eventStore = await MysqlEventStore.open(knex);
  return {
    database: 'MariaDB',
    knex,
    eventStore,
    url,
    close: async (drop) => {
      await eventStore.close();
      if (drop) await knex.raw(`DROP DATABASE \`${name}\``);
      await knex.destroy();
    },
  };
}
