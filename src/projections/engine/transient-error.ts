const TRANSIENT_CODES = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
]);

/** A database error worth retrying (deadlock, busy, lost connection), not a bug in a projection. */
export function isTransientError(error: unknown): boolean {
  for (let current = error as { code?: string; cause?: unknown; name?: string } | undefined; current;) {
    if (current.code && TRANSIENT_CODES.has(current.code)) return true;
    if (current.name === 'KnexTimeoutError') return true;
    current = current.cause as typeof current;
  }
  return false;
}
