import { EVENT_COLUMNS } from '../event-rows.js';

/** The part of a better-sqlite3 Database the store uses. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  transaction<T>(fn: () => T): { immediate(): T };
}

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): any;
  all(...params: unknown[]): any[];
}

const SQL = {
  eventsByIds: `SELECT id, stream_id, version, position, type, data FROM events WHERE id IN (SELECT value FROM json_each(?))`,
  streamVersions: `SELECT stream_id, version FROM streams WHERE stream_id IN (SELECT value FROM json_each(?))`,
  claimOwner: `SELECT owner_stream_id FROM claims WHERE scope = ? AND value_hash = ?`,
  upsertStream: `INSERT INTO streams (stream_id, version) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`,
  deleteClaim: `DELETE FROM claims WHERE scope = ? AND value_hash = ?`,
  insertClaim: `INSERT INTO claims (scope, value_hash, owner_stream_id) VALUES (?, ?, ?)`,
  allocate: `UPDATE event_sequence SET last = last + ? WHERE id = 1 RETURNING last`,
  insertEvent: `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  readAll: `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
  readStream: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND version >= ? ORDER BY version`,
  head: `SELECT last FROM event_sequence WHERE id = 1`,
};

export type Statements = { [K in keyof typeof SQL]: SqliteStatement };

const cache = new WeakMap<SqliteDatabase, Statements>();

/** Prepared statements of one connection, prepared once. */
export function statementsOf(db: SqliteDatabase): Statements {
  let statements = cache.get(db);
  if (!statements) {
    statements = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
    cache.set(db, statements);
  }
  return statements;
}
