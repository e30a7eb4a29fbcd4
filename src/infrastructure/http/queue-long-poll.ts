import type { QueueView } from '../../application/admission/queue-view.js';
import { sleep } from '../../projections/engine/sleep.js';
import { untilNextTick } from './status-grid.js';

/** Longest wait a client may ask for with `Prefer: wait=<seconds>` (RFC 7240). */
export const MAX_WAIT_SECONDS = 30;

/** The seconds of a `Prefer: wait=<n>` header, capped; 0 when absent or malformed. */
export function preferredWait(prefer: string | string[] | undefined): number {
  const text = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  const match = /(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?/i.exec(text);
  return match ? Math.min(Number(match[1]), MAX_WAIT_SECONDS) : 0;
}

export interface LongPollOptions {
  first: QueueView;
  /** Asks the queue again (renewing an admitted member's lease). */
  ask(): Promise<QueueView>;
  waitMs: number;
  /** The grid the process's watchers share (see untilNextTick). */
  pollMs: number;
  /** Aborted when the client goes away: stop asking for it. */
  signal: AbortSignal;
}

/**
 * Holds a queue answer back while the member is only waiting: answers at the first tick on which
 * they are admitted or the queue closed, or with where they stand when the wait is over. One
 * request instead of a join and an event stream (or a join and many polls), on a kept-alive
 * connection, for clients that have no Server-Sent Events (k6, scripts).
 */
export async function waitForTurn(options: LongPollOptions): Promise<QueueView> {
  const deadline = Date.now() + options.waitMs;
  let view = options.first;
  while (view.state === 'waiting' && !options.signal.aborted) {
    const delay = untilNextTick(options.pollMs);
    if (Date.now() + delay > deadline) break;
    await sleep(delay, options.signal);
    if (options.signal.aborted) break;
    view = await options.ask();
  }
  return view;
}
