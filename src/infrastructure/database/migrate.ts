import type { Knex } from 'knex';
import { migrations } from './migrations/index.js';

export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Brings the schema up to date (knex migrations, listed in code so that builds carry them). */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
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
