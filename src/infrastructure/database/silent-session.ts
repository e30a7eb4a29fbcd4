/**
 * How long MariaDB keeps one of our sessions that has gone silent, and with it the row locks of
 * its open transaction: a host that vanishes (power, link) sends no FIN, and the server would wait
 * for TCP to notice (keepalive: 2 h by default; never while its last answer is unacknowledged).
 * `wait_timeout` ends a session silent between statements, `net_read_timeout` one silent in the
 * middle of a statement's packet; both per session, so that no server setting is needed. Our
 * sessions are never silent that long on purpose: statements follow each other within a round trip.
 */
export function silentSessionSql(seconds: number): string {
  const s = Math.floor(seconds);
  return `SET SESSION wait_timeout = ${s}, net_read_timeout = ${s}`;
}

/** Pools drop their idle connections before the server ends them (a pool's reaper runs about every second). */
export function poolIdleMs(seconds: number): number {
  return Math.max(500, seconds * 1000 - 2000);
}
