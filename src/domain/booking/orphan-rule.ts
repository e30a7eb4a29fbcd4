import { adjacent, REGULAR, sectionLayout, type SectionLayout } from '../catalog/section-layout.js';
import { parseSeatId } from '../catalog/show-layout.js';
import type { SectionSpec } from '../catalog/show.events.js';
import type { OrphanWarning } from './booking.events.js';

/**
 * The single seats a hand-picked hold would strand: a free regular seat beside a picked one whose
 * other side is a taken or picked seat, a row end, an aisle or an accessible place. Each comes
 * with a suggestion when one exists: the same number of seats with the one farthest from the
 * stranded seat swapped for it, if that strands nothing. Looks only at the picked seats' neighbours.
 */
export function strandedSeats(seats: string[], sections: SectionSpec[], taken: (seat: string) => boolean): OrphanWarning[] {
  const stranded = orphansOf(seats, sections, taken);
  return stranded.map((seat) => {
    const suggestion = swapped(seats, seat);
    const fine = suggestion && !taken(seat) && orphansOf(suggestion, sections, taken).length === 0;
    return { code: 'BOOKING.ORPHAN_SEAT', seat, ...(fine ? { suggestion } : {}) };
  });
}

function orphansOf(seats: string[], sections: SectionSpec[], taken: (seat: string) => boolean): string[] {
  const picked = new Set(seats);
  const found = new Set<string>();
  for (const id of seats) {
    const seat = parseSeatId(id);
    const spec = seat && sections.find((s) => s.id === seat.section);
    if (!seat || !spec) continue;
    const layout = sectionLayout(spec);
    const open = (n: number) => {
      const other = `${seat.section}-${seat.row}-${n}`;
      return layout.access[(seat.row - 1) * layout.width + n - 1] === REGULAR && !picked.has(other) && !taken(other);
    };
    for (const step of [-1, 1]) {
      const n = seat.number + step;
      if (!besideIn(layout, seat.number, step) || !open(n)) continue;
      if (!besideIn(layout, n, step) || !open(n + step)) found.add(`${seat.section}-${seat.row}-${n}`);
    }
  }
  return [...found];
}

/** Whether seat n has a neighbour in direction `step` (no row end or aisle between). */
const besideIn = (layout: SectionLayout, n: number, step: number) => (step > 0 ? adjacent(layout, n) : n > 1 && adjacent(layout, n - 1));

function swapped(seats: string[], stranded: string): string[] | undefined {
  const target = parseSeatId(stranded)!;
  const sameRow = seats.filter((id) => {
    const seat = parseSeatId(id);
    return seat && seat.section === target.section && seat.row === target.row;
  });
  if (sameRow.length === 0) return undefined;
  const farthest = sameRow.reduce((far, id) =>
    Math.abs(parseSeatId(id)!.number - target.number) > Math.abs(parseSeatId(far)!.number - target.number) ? id : far,
  );
  return seats.map((id) => (id === farthest ? stranded : id)).sort(bySeat);
}

const bySeat = (a: string, b: string) => {
  const x = parseSeatId(a)!;
  const y = parseSeatId(b)!;
  return x.section.localeCompare(y.section) || x.row - y.row || x.number - y.number;
};
