import type { QueueState } from './queue.state.js';
import type { QueuePhase } from './waiting-room.types.js';

/**
 * What a process needs to place every member it watches without asking for each: the phase, the
 * served counter, and the tickets given up between it and the last ticket watched. Positions change
 * for everyone at once (the served counter moves), so one glance a show replaces a look-up a member.
 */
export interface QueueGlance {
  phase: QueuePhase | 'absent';
  /** Why the queue is closed (`closed` phase only). */
  reason: string;
  served: number;
  /** Tickets given up in (served, upTo], ascending. */
  leavers: number[];
}

export function glance(q: QueueState | undefined, upTo: number): QueueGlance {
  if (!q) return { phase: 'absent', reason: '', served: 0, leavers: [] };
  const leavers = [...q.left].filter((t) => t > q.served && t <= upTo).sort((a, b) => a - b);
  return { phase: q.phase, reason: q.reason ?? 'closed', served: q.served, leavers };
}

/**
 * How many are ahead of `ticket` by the glance (as `waiting` counts: ticket − served − 1 − leavers
 * between); undefined when the glance cannot tell: the ticket was served or given up (ask the queue).
 */
export function aheadAt(ticket: number, at: QueueGlance): number | undefined {
  if (ticket <= at.served) return undefined;
  // leavers below the ticket: binary search in the ascending list
  let low = 0;
  let high = at.leavers.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (at.leavers[mid]! < ticket) low = mid + 1;
    else high = mid;
  }
  if (at.leavers[low] === ticket) return undefined;
  return ticket - at.served - 1 - low;
}
