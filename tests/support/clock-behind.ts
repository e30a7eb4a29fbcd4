import { systemClock } from '../../src/infrastructure/system-clock.js';

/**
 * Preloaded into a server process (`--import`) to set its Clock port TEST_CLOCK_BEHIND_MS behind
 * the machine's: the process decides holds and expiries as a host whose clock lags would.
 */
const behindMs = Number(process.env.TEST_CLOCK_BEHIND_MS ?? 0);
systemClock.now = () => new Date(Date.now() - behindMs);
