/** The part of a mysql2 (callback API) connection that knex uses to run a statement. */
interface RawConnection {
  query(options: { sql: string; timeout?: number }, values: unknown, callback: (error: Error | null, ...rest: unknown[]) => void): unknown;
  destroy(): void;
}

/**
 * Every statement on `conn` fails after `ms` without an answer (mysql2's query timeout, code
 * PROTOCOL_SEQUENCE_TIMEOUT), and the connection is then destroyed: its answer may still come, so
 * it must not run another statement, and knex's pool drops it. Client-side, so that a stalled or
 * partitioned server (which never answers, not even an error) cannot hold a request.
 */
export function boundStatements<C extends RawConnection>(conn: C, ms: number): C {
  const query = conn.query.bind(conn);
  conn.query = (options, values, callback) =>
    query({ timeout: ms, ...options }, values, (error, ...rest) => {
      if ((error as { code?: string } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') conn.destroy();
      callback(error, ...rest);
    });
  return conn;
}
