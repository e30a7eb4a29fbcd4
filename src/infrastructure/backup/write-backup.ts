import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { isMysql } from '../database/knex.js';
import {
  BACKUP_DATA_FILES,
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BACKUP_VERSION,
  type BackupHeader,
  type BackupTable,
  type BackupTrailer,
} from './backup-format.js';

const PAGE = 2_000;

/**
 * Writes every table of BACKUP_TABLES to `out` as JSON lines, read in one transaction (a
 * consistent snapshot: the events, streams and claims agree, as do members and their keys), while
 * servers keep writing. `dataDir`: the embedded mode's folder, whose secret files go along.
 */
export async function writeBackup(knex: Knex, out: Writable, dataDir?: string): Promise<BackupTrailer> {
  const trailer: BackupTrailer = { end: true, rows: {}, files: 0 };
  const write = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
  };
  await knex.transaction(
    async (trx) => {
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        database: isMysql(knex) ? 'mysql' : 'sqlite',
        migrations: ((await trx('knex_migrations').orderBy('id').select('name')) as { name: string }[]).map((row) => row.name),
      };
      await write(header);
      for (const table of BACKUP_TABLES) {
        trailer.rows[table.name] = 0;
        for await (const row of pages(trx, table)) {
          await write({ table: table.name, row });
          trailer.rows[table.name]++;
        }
      }
    },
    // one snapshot from the first read on (SQLite: a read transaction sees one version too)
    isMysql(knex) ? { isolationLevel: 'repeatable read' } : {},
  );
  for (const file of BACKUP_DATA_FILES) {
    const full = dataDir && path.join(dataDir, file);
    if (!full || !existsSync(full)) continue;
    await write({ file, content: readFileSync(full, 'utf8') });
    trailer.files++;
  }
  await write(trailer);
  return trailer;
}

/** Rows in key order, a page at a time (keyset paging on a one-column key, else offsets). */
async function* pages(trx: Knex.Transaction, table: BackupTable): AsyncGenerator<Record<string, unknown>> {
  const [first] = table.key;
  let after: unknown;
  for (let offset = 0; ; offset += PAGE) {
    const query = trx(table.name)
      .select()
      .orderBy(table.key.map((column) => ({ column })))
      .limit(PAGE);
    if (table.key.length === 1 && after !== undefined) query.where(first!, '>', after as string);
    if (table.key.length > 1) query.offset(offset);
    const rows = (await query) as Record<string, unknown>[];
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]![first!];
  }
}
