/**
 * Which rows of a large seat map are drawn: the ones near what the buyer can see (row
 * virtualization). Pure, so that Node can test it; SeatMap.vue measures and draws.
 */

/** Maps with more seats than this draw only the rows near the view; smaller ones draw every row. */
export const VIRTUAL_FROM_SEATS = 1000;
/** Rows drawn beyond the visible band, above and below, in CSS px: a short scroll shows no gap. */
export const OVERSCAN_PX = 240;
/** Seats drawn per task while the window fills: a row of 50 takes about 30 ms on Lighthouse's slowed-down phone. */
export const SEATS_PER_CHUNK = 50;

/** One section's grid as measured: its top (client px), the distance between rows, the row count. */
export interface GridBox {
  top: number;
  pitch: number;
  rows: number;
}

/** The rows (0-based, inclusive) of `grid` that lie within [from, to] (client px); undefined for none. */
export function rowsInBand(grid: GridBox, from: number, to: number): { first: number; last: number } | undefined {
  if (grid.rows === 0 || !(grid.pitch > 0) || to < from) return undefined;
  const first = Math.max(0, Math.floor((from - grid.top) / grid.pitch));
  const last = Math.min(grid.rows - 1, Math.ceil((to - grid.top) / grid.pitch) - 1);
  return first <= last ? { first, last } : undefined;
}

/**
 * The next rows to draw: the first of `wanted` (in the order they should appear) that are not drawn
 * yet, up to `budget` seats (always at least one row, so that the window fills however wide a row is).
 */
export function nextChunk(
  wanted: readonly { key: string; seats: number }[],
  drawn: ReadonlySet<string>,
  budget = SEATS_PER_CHUNK,
): string[] {
  const chunk: string[] = [];
  let seats = 0;
  for (const row of wanted) {
    if (drawn.has(row.key)) continue;
    if (chunk.length > 0 && seats + row.seats > budget) break;
    chunk.push(row.key);
    seats += row.seats;
  }
  return chunk;
}
