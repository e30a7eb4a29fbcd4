import type { Config } from '../config/config.js';

/** The background work that a `web` process leaves to the `background` one (BACKGROUND_WORKER). */
const BACKGROUND_SERVICES = new Set(['projections', 'mail sender']);

/**
 * What a `waiting-room` process (WAITING_ROOM_WORKERS) leaves to the booking workers besides: the
 * admitter's ticks, the holds' expiry and the idempotency store's purge, none of which may wait
 * for CPU behind a crowd's joins.
 */
const BOOKING_SERVICES = new Set([...BACKGROUND_SERVICES, 'admission admitter', 'hold expirer', 'idempotency purger']);

/** Whether this process starts the lifecycle service `name`. */
export function startsHere(config: Pick<Config, 'ONSALE_ROLE'>, name: string): boolean {
  if (config.ONSALE_ROLE === 'waiting-room') return !BOOKING_SERVICES.has(name);
  return config.ONSALE_ROLE !== 'web' || !BACKGROUND_SERVICES.has(name);
}
