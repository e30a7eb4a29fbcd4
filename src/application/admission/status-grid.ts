/**
 * Time from `nowMs` to the next multiple of `periodMs` on the wall clock. Everything in a process that watches
 * the waiting room (event streams, long polls) wakes on this grid, so its status lookups of one
 * show fall in the same turn of the event loop and go to the queue as one call.
 */
export function untilNextTick(periodMs: number, nowMs: number): number {
  return periodMs - (nowMs % periodMs) || periodMs;
}
