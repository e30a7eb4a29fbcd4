import { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { ensureMysqlDatabase, openDatabase } from '../database/knex.js';
import { migrateToLatest } from '../database/migrate.js';

/** `onsale migrate`: brings the schema of the configured database up to date. */
export function migrateCommand(): Command {
  return new Command('migrate').description('bring the database schema up to date').action(async () => {
    const config = loadConfig();
    if (config.MYSQL_URL) await ensureMysqlDatabase(config.MYSQL_URL);
    const knex = openDatabase({ mysqlUrl: config.MYSQL_URL, dataDir: config.DATA_DIR });
    try {
      const applied = await migrateToLatest(knex);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    } finally {
      await knex.destroy();
    }
  });
}
