import type { SeatMap, Show } from './types.js';

/**
 * Whether a poll's answer says nothing new, so that the page keeps the value it has and redraws
 * nothing: a 5,000-seat map is polled every 3 s and mostly has not changed.
 */
export function sameSeatMap(a: SeatMap, b: SeatMap): boolean {
  if (a.remaining !== b.remaining || a.seats.size !== b.seats.size) return false;
  for (const [id, seat] of b.seats) if (a.seats.get(id)?.status !== seat.status) return false;
  return true;
}

/** The same for the show (a few fields, read from JSON: compared as JSON). */
export function sameShow(a: Show | undefined, b: Show): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
