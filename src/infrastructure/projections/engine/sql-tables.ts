import type { Knex } from 'knex';
import { isMysql } from '../../database/knex.js';

/** Names of the tables in the current database (MySQL schema or SQLite file). */
export async function listTables(knex: Knex): Promise<string[]> {
  if (isMysql(knex)) {
    const [rows] = (await knex.raw('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()')) as [
      { name: string }[],
    ];
    return rows.map((row) => row.name);
  }
  const rows = (await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table'")) as { name: string }[];
  return rows.map((row) => row.name);
}

export async function dropTables(knex: Knex, tables: string[]): Promise<void> {
  for (const table of tables) await knex.schema.dropTableIfExists(table);
}

/**
 * Renames every `from` to its `to` atomically: one multi-table RENAME TABLE on MySQL (readers
 * never see a mix), renames inside one transaction on SQLite. `inSameCommit` runs in the SQLite
 * transaction, or right after the rename on MySQL (whose DDL commits on its own).
 */
export async function renameTables(
  knex: Knex,
  renames: { from: string; to: string }[],
  inSameCommit: (db: Knex | Knex.Transaction) => Promise<void> = async () => undefined,
): Promise<void> {
  if (renames.length === 0) return;
  if (isMysql(knex)) {
    const pairs = renames.map(({ from, to }) => `\`${from}\` TO \`${to}\``).join(', ');
    await knex.raw(`RENAME TABLE ${pairs}`);
    await inSameCommit(knex);
    return;
  }
  await knex.transaction(async (trx) => {
    for (const { from, to } of renames) await trx.raw(`ALTER TABLE "${from}" RENAME TO "${to}"`);
    await inSameCommit(trx);
  });
}
