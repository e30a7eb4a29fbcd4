import type { Knex } from 'knex';
import { isMysql } from './knex.js';
import { withMigrationLock } from './migration-lock.js';
import { migrations } from './migrations/index.js';

export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Brings the schema up to date (knex migrations, listed in code so that builds carry them).
 * On MySQL, processes starting together (cluster workers, several servers, servers on different
 * Galera nodes) take turns under a lock row: knex's own lock table does not cover creating its
 * tables on a fresh database.
 */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  if (!isMysql(knex)) return runMigrations(knex);
  return withMigrationLock(knex, () => runMigrations(knex));
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
