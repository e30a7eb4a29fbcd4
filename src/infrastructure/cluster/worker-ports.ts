import type { Config } from '../config/config.js';

/**
 * The ports a worker listens on alone: `WORKER_LISTENERS` of them from `WORKER_PORT_BASE + slot ×
 * WORKER_LISTENERS` (none without a base). Several, because Node (libuv ≥ 1.45) accepts one
 * connection per listening socket and turn of the event loop: a proxy opening a thousand upstream
 * connections at once to a busy worker had them wait up to 30 s in the accept queue. At a sale's
 * start Nginx opens one upstream connection per client it serves at once; with 4 ports a worker the
 * seed's Nginx row's p99 was 9–11 s (those requests, waiting to be accepted), with 16 3.3 s, with
 * 32 (the default) 2.4 s (docs/benchmarks.md).
 */
export function workerPorts(config: Pick<Config, 'WORKER_PORT_BASE' | 'WORKER_LISTENERS'>, slot: number): number[] {
  if (config.WORKER_PORT_BASE === undefined) return [];
  const first = config.WORKER_PORT_BASE + slot * config.WORKER_LISTENERS;
  return Array.from({ length: config.WORKER_LISTENERS }, (_, k) => first + k);
}

/**
 * The booking door of a worker: `BOOKING_PORT_BASE + slot` (none without a base), a port with an
 * accept queue of its own for admitted members' holds and confirms, which a crowd's new connections
 * on the other ports cannot fill (docs/waiting-room.md).
 */
export function bookingPorts(config: Pick<Config, 'BOOKING_PORT_BASE'>, slot: number): number[] {
  return config.BOOKING_PORT_BASE === undefined ? [] : [config.BOOKING_PORT_BASE + slot];
}
