/**
 * How long MariaDB keeps one of our sessions that has gone silent, and with it the row locks of
 * its open transaction: a host that vanishes (power, link) sends no FIN, and the server would wait
 * for TCP to notice (keepalive: 2 h by default; never while its last answer is unacknowledged).
 * `wait_timeout` ends a session silent between statements, `net_read_timeout` one silent in the
 * middle of a statement's packet; both per session, so that no server setting is needed. Our
 * sessions are never silent that long on purpose: statements follow each other within a round trip.
 */
export function silentSessionSql(seconds: number, statementMs?: number): string {
  const s = Math.floor(seconds);
  // a statement we gave up on (client-side timeout, socket closed) stops waiting for locks then too,
  // rather than up to InnoDB's 50 s while holding the locks its transaction took before
  const lockWait = statementMs ? `, innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(statementMs / 1000))}` : '';
  return `SET SESSION wait_timeout = ${s}, net_read_timeout = ${s}${lockWait}`;
}

/** Pools drop their idle connections before the server ends them (a pool's reaper runs about every second). */
export function poolIdleMs(seconds: number): number {
  return Math.max(500, seconds * 1000 - 2000);
}
