import type { SeatMap, Show } from '../api/types.js';

export interface LayoutSection {
  id: string;
  name: string;
  price: number;
  rows: { label: string; seats: string[] }[];
}

/**
 * Sections, rows and seat ids to draw: from the show's seating plan when it has one, otherwise
 * grouped from the seat ids themselves (`<section>-<row>-<number>`).
 */
export function seatLayout(show: Show, seatMap: SeatMap): LayoutSection[] {
  const planned = show.sections.length > 0 && show.sections.every((s) => s.rows > 0 && s.seatsPerRow > 0);
  const firstId = planned ? `${show.sections[0]!.id}-1-1` : '';
  // A plan whose ids the seat map does not use would draw every seat as unknown: trust the map.
  if (planned && (seatMap.seats.size === 0 || seatMap.seats.has(firstId))) {
    return show.sections.map((section) => ({
      id: section.id,
      name: section.name,
      price: section.price,
      rows: Array.from({ length: section.rows }, (_, r) => ({
        label: String(r + 1),
        seats: Array.from({ length: section.seatsPerRow }, (_, n) => `${section.id}-${r + 1}-${n + 1}`),
      })),
    }));
  }
  const bySection = new Map<string, Map<string, string[]>>();
  for (const seat of seatMap.seats.values()) {
    const rows = bySection.get(seat.section) ?? new Map<string, string[]>();
    bySection.set(seat.section, rows);
    rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat.id]);
  }
  const natural = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  return [...bySection.entries()]
    .sort(([a], [b]) => natural(a, b))
    .map(([id, rows]) => {
      const known = show.sections.find((s) => s.id === id);
      return {
        id,
        name: known?.name ?? id,
        price: known?.price ?? 0,
        rows: [...rows.entries()].sort(([a], [b]) => natural(a, b)).map(([label, seats]) => ({ label, seats: seats.sort(natural) })),
      };
    });
}
