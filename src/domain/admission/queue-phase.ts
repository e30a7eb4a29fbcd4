import type { QueuePhase } from './waiting-room.types.js';

/**
 * The phase a queue is in at `instant` (the store's clock when the step reaches it): a join is in
 * the pre-queue draw if and only if it arrives before `salesOpenAt`. The first step at or after
 * the opening moves a `prequeue` to `drawing` (the draw is frozen); phases only move forwards.
 */
export function phaseAt(stored: QueuePhase | undefined, instant: number, salesOpenAt: number): QueuePhase {
  if (stored === undefined) return instant < salesOpenAt ? 'prequeue' : 'open';
  if (stored === 'prequeue' && instant >= salesOpenAt) return 'drawing';
  return stored;
}
