import type { SectionSpec } from '../../domain/catalog/show.events.js';

export type SeatStatus = 'available' | 'held' | 'sold';

/** One character per seat in a row string. */
export const SEAT_LEGEND = { a: 'available', h: 'held', s: 'sold' } as const;

const CODE: Record<SeatStatus, number> = { available: 0x61, held: 0x68, sold: 0x73 };

/** A section of the compact seat map: `rows[r - 1][n - 1]` is seat `<id>-<r>-<n>`. */
export interface SeatMapSection {
  id: string;
  name: string;
  price: number;
  available: number;
  held: number;
  sold: number;
  rows: string[];
}

/** A seat that is not available, by its place in the section. */
export interface TakenSeat {
  row: number;
  number: number;
  status: Exclude<SeatStatus, 'available'>;
}

/** A section's row strings and counts: every seat available but the taken ones. */
export function compactSection(spec: SectionSpec, taken: TakenSeat[]): SeatMapSection {
  const codes = Buffer.alloc(spec.rows * spec.seatsPerRow, CODE.available);
  const counts = { held: 0, sold: 0 };
  for (const seat of taken) {
    if (seat.row < 1 || seat.row > spec.rows || seat.number < 1 || seat.number > spec.seatsPerRow) continue;
    codes[(seat.row - 1) * spec.seatsPerRow + seat.number - 1] = CODE[seat.status];
    counts[seat.status]++;
  }
  const rows = Array.from({ length: spec.rows }, (_, r) => codes.toString('latin1', r * spec.seatsPerRow, (r + 1) * spec.seatsPerRow));
  const available = codes.length - counts.held - counts.sold;
  return { id: spec.id, name: spec.name, price: spec.price, available, ...counts, rows };
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
