import type { Knex } from 'knex';
import { isMysql, knexOnMysql, mysqlOptionsOf } from './knex.js';
import { migrations } from './migrations/index.js';

export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const LOCK_NAME = 'onsale:migrate';

/**
 * Brings the schema up to date (knex migrations, listed in code so that builds carry them).
 * On MySQL, processes starting together (cluster workers, several servers) take turns under a
 * named lock: knex's own lock table does not cover creating its tables on a fresh database.
 */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  if (!isMysql(knex)) return runMigrations(knex);
  // GET_LOCK belongs to a session: hold it on a connection of its own.
  const session = knexOnMysql(mysqlOptionsOf(knex), { min: 1, max: 1 });
  try {
    const [rows] = (await session.raw('SELECT GET_LOCK(?, 120) AS taken', [LOCK_NAME])) as [{ taken: number | null }[]];
    if (rows[0]?.taken !== 1) throw new Error('Timed out waiting for another process to finish migrating the schema');
    try {
      return await runMigrations(knex);
    } finally {
      await session.raw('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await session.destroy();
  }
}

async function runMigrations(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({
    migrationSource: {
      getMigrations: async () => migrations,
      getMigrationName: (migration: Migration) => migration.name,
      getMigration: async (migration: Migration) => migration,
    },
    tableName: 'knex_migrations',
  })) as [number, string[]];
  return applied;
}
