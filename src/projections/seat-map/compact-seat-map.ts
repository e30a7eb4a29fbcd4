import { seatIndexOfKey } from '../../domain/catalog/section-layout.js';
import type { SectionSpec } from '../../domain/catalog/show.events.js';

export type SeatStatus = 'available' | 'held' | 'sold' | 'blocked';

/** One character per seat in a row string; `x` is a seat left out of the section (never for sale). */
export const SEAT_LEGEND = { a: 'available', h: 'held', s: 'sold', x: 'blocked' } as const;

const CODE: Record<SeatStatus, number> = { available: 0x61, held: 0x68, sold: 0x73, blocked: 0x78 };

/** A section of the compact seat map: `rows[r - 1][n - 1]` is seat `<id>-<r>-<n>`. */
export interface SeatMapSection {
  id: string;
  name: string;
  price: number;
  available: number;
  held: number;
  sold: number;
  /** Seats left out of the section (only when it has some); they are not counted as available. */
  blocked?: number;
  rows: string[];
}

/** A seat that is not available, by its place in the section. */
export interface TakenSeat {
  row: number;
  number: number;
  status: 'held' | 'sold';
}

/** A section's row strings and counts: every seat available but the blocked and the taken ones. */
export function compactSection(spec: SectionSpec, taken: TakenSeat[]): SeatMapSection {
  const codes = Buffer.alloc(spec.rows * spec.seatsPerRow, CODE.available);
  const blocked = new Set((spec.blocked ?? []).map((key) => seatIndexOfKey(key, spec.seatsPerRow)));
  for (const i of blocked) codes[i] = CODE.blocked;
  const counts = { held: 0, sold: 0 };
  for (const seat of taken) {
    if (seat.row < 1 || seat.row > spec.rows || seat.number < 1 || seat.number > spec.seatsPerRow) continue;
    const i = (seat.row - 1) * spec.seatsPerRow + seat.number - 1;
    if (blocked.has(i)) continue;
    codes[i] = CODE[seat.status];
    counts[seat.status]++;
  }
  const rows = Array.from({ length: spec.rows }, (_, r) => codes.toString('latin1', r * spec.seatsPerRow, (r + 1) * spec.seatsPerRow));
  const available = codes.length - blocked.size - counts.held - counts.sold;
  return {
    id: spec.id,
    name: spec.name,
    price: spec.price,
    available,
    ...counts,
    ...(blocked.size ? { blocked: blocked.size } : {}),
    rows,
  };
}

export interface DecodedSeat {
  id: string;
  section: string;
  row: number;
  number: number;
  status: SeatStatus;
}

/** Every seat of a compact seat map, section by section, row by row; an unknown character is `held`. */
export function seatsOf(map: { sections: { id: string; rows: string[] }[]; legend?: Record<string, string> }): DecodedSeat[] {
  const legend: Record<string, string> = map.legend ?? SEAT_LEGEND;
  const seats: DecodedSeat[] = [];
  for (const section of map.sections) {
    section.rows.forEach((codes, r) => {
      for (let n = 0; n < codes.length; n++) {
        const status = (legend[codes[n]!] ?? 'held') as SeatStatus;
        seats.push({ id: `${section.id}-${r + 1}-${n + 1}`, section: section.id, row: r + 1, number: n + 1, status });
      }
    });
  }
  return seats;
}
