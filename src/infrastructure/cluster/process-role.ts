import type { Config } from '../config/config.js';

/** The background work that a `web` process leaves to the `background` one (BACKGROUND_WORKER). */
const BACKGROUND_SERVICES = new Set(['projections', 'mail sender']);

/** Whether this process starts the lifecycle service `name`. */
export function startsHere(config: Pick<Config, 'ONSALE_ROLE'>, name: string): boolean {
  return config.ONSALE_ROLE !== 'web' || !BACKGROUND_SERVICES.has(name);
}
