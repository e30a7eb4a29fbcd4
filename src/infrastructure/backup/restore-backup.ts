import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { BACKUP_DATA_FILES, BACKUP_TABLES } from './backup-format.js';
import { BackupFileError, backupLines, verifyBackup } from './read-backup.js';

const BATCH = 500;

/** The target already holds data: a restore goes into a fresh database only. */
export class RestoreTargetNotEmpty extends Error {}

/**
 * Loads a backup into `knex`'s database, whose schema is up to date and which must hold no events,
 * streams or member keys. The file is read twice: checked whole first (a cut file writes nothing),
 * then loaded in batches. Read models are not touched: rebuild them after.
 */
export async function restoreBackup(knex: Knex, file: string, dataDir?: string): Promise<Record<string, number>> {
  const { trailer } = await verifyBackup(file);
  for (const table of ['events', 'streams', 'member_keys']) {
    const row = (await knex(table).count({ n: '*' }).first()) as { n: number | string };
    if (Number(row.n) > 0)
      throw new RestoreTargetNotEmpty(`the target database is not empty (${table} has ${row.n} rows): restore into a fresh database`);
  }
  const keys = new Map(BACKUP_TABLES.map((table) => [table.name, table.key]));
  let table = '';
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    // the migration's own row of event_sequence is replaced by the backup's
    await knex(table).insert(batch).onConflict(keys.get(table)!).merge();
    batch = [];
  };
  for await (const line of backupLines(file)) {
    if ('end' in line) break;
    if ('file' in line) {
      if (!dataDir || !BACKUP_DATA_FILES.includes(line.file)) continue;
      const target = path.join(dataDir, line.file);
      writeFileSync(target, line.content, { mode: 0o600 });
      chmodSync(target, 0o600);
      continue;
    }
    if (!keys.has(line.table)) throw new BackupFileError(`${file} has rows of an unknown table ${line.table}`);
    if (line.table !== table || batch.length >= BATCH) await flush();
    table = line.table;
    batch.push(line.row);
  }
  await flush();
  return trailer.rows;
}
