/**
 * What a backup carries: the event log and everything the log cannot rebuild. Read models are
 * left out (a restore rebuilds them from the log); so are leases and failures of the projection
 * engine. `member_keys` must be there: member events carry personal data sealed with them, and a
 * restore without them could not open a member's e-mail or name (nor log them in). So must
 * `ticket_signing_keys`: the tickets already in buyers' hands are signed with them. And
 * `mail_outbox`: which mails were sent (a restore that lacked it would mail the last day again).
 */
export interface BackupTable {
  name: string;
  /** Primary-key columns: rows are read and written in this order. */
  key: string[];
}

export const BACKUP_TABLES: BackupTable[] = [
  { name: 'events', key: ['position'] },
  { name: 'streams', key: ['stream_id'] },
  { name: 'claims', key: ['scope', 'value_hash'] },
  { name: 'event_sequence', key: ['id'] },
  { name: 'member_keys', key: ['member_id'] },
  { name: 'server_secrets', key: ['name'] },
  { name: 'ticket_signing_keys', key: ['kid'] },
  { name: 'idempotency_responses', key: ['scope', 'idempotency_key'] },
  { name: 'mail_outbox', key: ['id'] },
];

/** Files of the embedded mode's DATA_DIR that hold secrets (the generated JWT signing secret). */
export const BACKUP_DATA_FILES = ['jwt-secret'];

export const BACKUP_FORMAT = 'onsale-backup';
export const BACKUP_VERSION = 1;

/** First line of a backup file (gzip, one JSON value per line). */
export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  database: 'mysql' | 'sqlite';
  /** The schema the rows fit: a restore refuses a backup whose schema its release does not know. */
  migrations: string[];
}

/** One row of a table, or one secret file of DATA_DIR. */
export type BackupLine = { table: string; row: Record<string, unknown> } | { file: string; content: string };

/** Last line: a file without it was cut short. */
export interface BackupTrailer {
  end: true;
  rows: Record<string, number>;
  files: number;
}
