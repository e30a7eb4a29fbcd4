/**
 * Why the database did not answer, when it is a fault of the database and not of the request:
 * - `down`: refused, reset, lost or shutting down (a crash, a restart, a failover);
 * - `stalled`: no answer in time (connect, pool acquire or statement timeout: a frozen or partitioned node);
 * - `read_only`: `--read-only` / `read_only=1` (a demoted primary, maintenance);
 * - `too_many_connections`: `max_connections` or the user's connection limit reached;
 * - `contention`: lock wait timeouts and deadlocks that our own retries did not clear;
 * - `not_ready`: a Galera node outside the primary component (`WSREP has not yet prepared node…`);
 * - `outcome_unknown`: the connection died after COMMIT was sent and the log could not be read back.
 */
export type DatabaseFailureKind =
  'down' | 'stalled' | 'read_only' | 'too_many_connections' | 'contention' | 'not_ready' | 'outcome_unknown';

/** mysql2 / Node codes (strings) and server error numbers, each with its kind. */
const BY_CODE: Record<string, DatabaseFailureKind> = {
  ECONNREFUSED: 'down',
  ECONNRESET: 'down',
  EPIPE: 'down',
  EHOSTUNREACH: 'down',
  ENETUNREACH: 'down',
  ENOTFOUND: 'down',
  EAI_AGAIN: 'down',
  PROTOCOL_CONNECTION_LOST: 'down',
  PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR: 'down',
  ER_SERVER_SHUTDOWN: 'down',
  ER_CONNECTION_KILLED: 'down',
  ETIMEDOUT: 'stalled',
  PROTOCOL_SEQUENCE_TIMEOUT: 'stalled',
  ER_STATEMENT_TIMEOUT: 'stalled',
  ER_QUERY_TIMEOUT: 'stalled',
  ER_OPTION_PREVENTS_STATEMENT: 'read_only',
  ER_READ_ONLY_MODE: 'read_only',
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: 'read_only',
  ER_CON_COUNT_ERROR: 'too_many_connections',
  ER_TOO_MANY_USER_CONNECTIONS: 'too_many_connections',
  ER_USER_LIMIT_REACHED: 'too_many_connections',
  ER_LOCK_WAIT_TIMEOUT: 'contention',
  ER_LOCK_DEADLOCK: 'contention',
  ER_UNKNOWN_COM_ERROR: 'not_ready',
};

const BY_ERRNO: Record<number, DatabaseFailureKind> = {
  1053: 'down', // server shutdown in progress
  1927: 'down', // connection was killed
  2006: 'down', // server has gone away
  2013: 'down', // lost connection during query
  1969: 'stalled', // MariaDB max_statement_time exceeded
  3024: 'stalled', // MySQL max_execution_time exceeded
  1290: 'read_only', // --read-only (ER_OPTION_PREVENTS_STATEMENT)
  1836: 'read_only', // read_only (ER_READ_ONLY_MODE)
  1792: 'read_only', // read-only transaction
  1040: 'too_many_connections',
  1203: 'too_many_connections',
  1226: 'too_many_connections',
  1205: 'contention',
  1213: 'contention',
  1047: 'not_ready', // WSREP has not yet prepared node for application use
};

/** mysql2 errors without a code of their own, by message. */
const BY_MESSAGE: [RegExp, DatabaseFailureKind][] = [
  [/connection is in closed state|socket has been ended|Connection lost|Pool is closed/i, 'down'],
  [/Timeout acquiring a connection|connect ETIMEDOUT|Query inactivity timeout/i, 'stalled'],
  [/WSREP has not yet prepared node/i, 'not_ready'],
];

interface ErrorLike {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  databaseFailure?: unknown;
}

/**
 * The one place that says whether an error is the database's fault, and which: the HTTP layer
 * answers 503 for each kind, background work backs off, and metrics count them. Follows `cause`.
 */
export function classifyDatabaseFailure(error: unknown): DatabaseFailureKind | undefined {
  for (let current = error as ErrorLike | undefined, depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    const kind = kindOf(current);
    if (kind) return kind;
    current = current.cause as ErrorLike | undefined;
  }
  return undefined;
}

function kindOf(error: ErrorLike): DatabaseFailureKind | undefined {
  if (typeof error.databaseFailure === 'string') return error.databaseFailure as DatabaseFailureKind;
  if (typeof error.code === 'string' && BY_CODE[error.code]) return BY_CODE[error.code];
  if (typeof error.errno === 'number' && BY_ERRNO[error.errno]) return BY_ERRNO[error.errno];
  if (error.name === 'KnexTimeoutError') return 'stalled';
  const message = typeof error.message === 'string' ? error.message : '';
  return BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1];
}

/** An error of our own that carries its kind (e.g. a commit whose outcome could not be read back). */
export class DatabaseFailure extends Error {
  constructor(
    readonly databaseFailure: DatabaseFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseFailure';
  }
}
