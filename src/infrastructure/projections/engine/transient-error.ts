import { classifyDatabaseFailure } from '../../database/database-failure.js';

const SQLITE_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

/** A database error worth retrying (any database fault, SQLite busy), not a bug in a projection. */
export function isTransientError(error: unknown): boolean {
  if (classifyDatabaseFailure(error)) return true;
  for (let current = error as { code?: string; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (current.code && SQLITE_BUSY.has(current.code)) return true;
  }
  return false;
}
