import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { migrations } from '../database/migrations/index.js';
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupHeader, type BackupLine, type BackupTrailer } from './backup-format.js';

/** A backup file that cannot be restored: not a backup, cut short, or from a newer release. */
export class BackupFileError extends Error {}

/** The lines of a backup file after its header, then its trailer (null when the file was cut short). */
export async function* backupLines(file: string): AsyncGenerator<BackupLine | BackupTrailer> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (!line) continue;
    const value = JSON.parse(line) as BackupHeader | BackupLine | BackupTrailer;
    if (first) checkHeader(value as BackupHeader, file);
    else yield value as BackupLine | BackupTrailer;
    first = false;
  }
  if (first) throw new BackupFileError(`${file} is empty`);
}

/** Reads the whole file once: its header, and its trailer's counts (so that a cut file is refused before anything is written). */
export async function verifyBackup(file: string): Promise<{ header: BackupHeader; trailer: BackupTrailer }> {
  const header = await readHeader(file);
  const rows: Record<string, number> = {};
  let files = 0;
  let trailer: BackupTrailer | undefined;
  try {
    for await (const line of backupLines(file)) {
      if (trailer) throw new BackupFileError(`${file} has lines after its end`);
      if ('end' in line) trailer = line;
      else if ('table' in line) rows[line.table] = (rows[line.table] ?? 0) + 1;
      else files++;
    }
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    throw new BackupFileError(`${file} cannot be read (${(error as Error).message}): is it cut short or damaged?`);
  }
  if (!trailer) throw new BackupFileError(`${file} was cut short (no end line): take the backup again`);
  for (const [table, count] of Object.entries(trailer.rows))
    if ((rows[table] ?? 0) !== count)
      throw new BackupFileError(`${file}: ${table} has ${rows[table] ?? 0} rows, its end line says ${count}`);
  if (files !== trailer.files) throw new BackupFileError(`${file}: ${files} files, its end line says ${trailer.files}`);
  return { header, trailer };
}

async function readHeader(file: string): Promise<BackupHeader> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of lines) return checkHeader(JSON.parse(line) as BackupHeader, file);
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    throw new BackupFileError(`${file} is not an onsale backup (${(error as Error).message})`);
  } finally {
    lines.close();
  }
  throw new BackupFileError(`${file} is empty`);
}

function checkHeader(header: BackupHeader, file: string): BackupHeader {
  if (header?.format !== BACKUP_FORMAT) throw new BackupFileError(`${file} is not an onsale backup`);
  if (header.version !== BACKUP_VERSION)
    throw new BackupFileError(`${file} is a backup of format version ${header.version}; this release reads ${BACKUP_VERSION}`);
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length)
    throw new BackupFileError(`${file} comes from a newer release (schema ${unknown.join(', ')}): restore it with that release`);
  return header;
}
