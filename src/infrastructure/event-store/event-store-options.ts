import type { AppendNotifier } from './append-notifier.js';
import type { Upcasters } from './event-rows.js';

/** Options every adapter takes. */
export interface EventStoreOptions {
  /** Upcasters by event type, applied on every read. */
  upcasters?: Upcasters;
  /** Wake-ups for waitForEvents; an in-process notifier when absent. */
  notifier?: AppendNotifier;
  /** Milliseconds since the epoch, for `recordedAt` (tests pass a fixed clock). */
  now?: () => number;
  /** Positions of the log whose events `readAll` keeps (read-event-cache.ts; MySQL and SQLite). */
  cachePositions?: number;
}
