import type { QuantityRequest } from '../../../../src/domain/booking/booking.commands.js';
import type { SectionSpec } from '../../../../src/domain/catalog/show.events.js';

/**
 * "What best means" (docs/booking.md) written out the slow way, seat by seat, from nothing but the
 * show's sections and the set of claimed seats: the property test holds the decider to it.
 */
export type Answer = { seats: string[]; together: boolean } | { code: string; details?: Record<string, unknown> };

type Key = number[];

interface Section {
  spec: SectionSpec;
  index: number;
  rank: number;
  score(row: number, n: number): number;
  /** 0 regular, 1 wheelchair, 2 companion, 3 blocked (left out of the section) */
  kind(row: number, n: number): number;
  /** Seats n and n + 1 are side by side (no aisle, not past the row end). */
  beside(n: number): boolean;
}

export function referenceBest(sections: SectionSpec[], claimed: Set<string>, request: QuantityRequest): Answer {
  if (request.section !== undefined && !sections.some((s) => s.id === request.section)) return { code: 'BOOKING.INVALID_REQUEST' };
  const prices = [...new Set(sections.map((s) => s.price))].sort((a, b) => b - a);
  const eligible: Section[] = sections
    .map((spec, index) => describe(spec, index, spec.rank ?? prices.indexOf(spec.price) + 1))
    .filter(
      (s) =>
        (request.section === undefined || s.spec.id === request.section) &&
        (request.maxPrice === undefined || s.spec.price <= request.maxPrice),
    );
  const k = request.quantity;
  const freeAt = (s: Section, row: number, n: number) => !claimed.has(`${s.spec.id}-${row}-${n}`);
  const regular = (s: Section, row: number, n: number) => n >= 1 && n <= s.spec.seatsPerRow && s.kind(row, n) === 0 && freeAt(s, row, n);
  const id = (s: Section, row: number, n: number) => `${s.spec.id}-${row}-${n}`;
  /** Seats n .. n + len - 1 of the row are free regular seats, side by side. */
  const block = (s: Section, row: number, n: number, len: number) => {
    for (let i = 0; i < len; i++) {
      if (!regular(s, row, n + i) || (i > 0 && !s.beside(n + i - 1))) return false;
    }
    return true;
  };
  const sum = (s: Section, row: number, n: number, len: number) =>
    Array.from({ length: len }, (_, i) => s.score(row, n + i)).reduce((a, b) => a + b, 0);
  const accessible = request.accessible ?? 0;
  if (accessible > k) return { code: 'BOOKING.INVALID_REQUEST' };
  if (accessible > 0) {
    let best: { key: Key; seats: string[] } | undefined;
    for (const s of eligible) {
      for (let row = 1; row <= s.spec.rows; row++) {
        for (let n = 1; n + k - 1 <= s.spec.seatsPerRow; n++) {
          const seats = Array.from({ length: k }, (_, i) => n + i);
          const ok = seats.every(
            (m, i) => (s.kind(row, m) === 1 || s.kind(row, m) === 2) && freeAt(s, row, m) && (i === 0 || s.beside(m - 1)),
          );
          if (!ok || seats.filter((m) => s.kind(row, m) === 1).length !== accessible) continue;
          const key = [s.rank, sum(s, row, n, k), s.index, row, n];
          if (!best || less(key, best.key)) best = { key, seats: seats.map((m) => id(s, row, m)) };
        }
      }
    }
    return best ? { seats: best.seats, together: true } : { code: 'BOOKING.SEATS_UNAVAILABLE' };
  }
  const free: { key: Key; seat: string }[] = [];
  for (const s of eligible) {
    for (let row = 1; row <= s.spec.rows; row++) {
      for (let n = 1; n <= s.spec.seatsPerRow; n++)
        if (regular(s, row, n)) free.push({ key: [s.rank, s.score(row, n), s.index, row, n], seat: id(s, row, n) });
    }
  }
  if (free.length < k) return { code: 'BOOKING.SEATS_UNAVAILABLE', details: { requested: k, available: free.length } };
  const strands = (s: Section, row: number, n: number, step: number) => {
    // the seat at n is free and beside the block; it is an orphan when its other side is closed
    const other = n + step;
    const open = step > 0 ? s.beside(n) && regular(s, row, other) : other >= 1 && s.beside(other) && regular(s, row, other);
    return !open;
  };
  for (const noOrphan of [true, false]) {
    let best: { key: Key; seats: string[] } | undefined;
    for (const s of eligible) {
      for (let row = 1; row <= s.spec.rows; row++) {
        for (let n = 1; n + k - 1 <= s.spec.seatsPerRow; n++) {
          if (!block(s, row, n, k)) continue;
          if (noOrphan) {
            const left = n - 1;
            const right = n + k;
            if (left >= 1 && s.beside(left) && regular(s, row, left) && strands(s, row, left, -1)) continue;
            if (right <= s.spec.seatsPerRow && s.beside(right - 1) && regular(s, row, right) && strands(s, row, right, 1)) continue;
          }
          const key = [s.rank, sum(s, row, n, k), s.index, row, n];
          if (!best || less(key, best.key)) best = { key, seats: Array.from({ length: k }, (_, i) => id(s, row, n + i)) };
        }
      }
    }
    if (best) return { seats: best.seats, together: true };
  }
  if ((request.together ?? 'required') === 'required') {
    let biggest = 0;
    for (const s of eligible) {
      for (let row = 1; row <= s.spec.rows; row++) {
        for (let n = 1; n <= s.spec.seatsPerRow; n++) for (let len = biggest + 1; block(s, row, n, len); len++) biggest = len;
      }
    }
    return { code: 'BOOKING.NOT_TOGETHER', details: { requested: k, biggestBlock: biggest } };
  }
  if (k >= 2) {
    const larger = Math.ceil(k / 2);
    const smaller = k - larger;
    let best: { key: Key; seats: string[] } | undefined;
    for (const s of eligible) {
      for (let row = 1; row < s.spec.rows; row++) {
        for (let n = 1; n <= s.spec.seatsPerRow; n++) {
          [
            [larger, smaller],
            [smaller, larger],
          ].forEach(([front, back], variant) => {
            if (!block(s, row, n, front!) || !block(s, row + 1, n, back!)) return;
            const key = [s.rank, sum(s, row, n, front!) + sum(s, row + 1, n, back!), s.index, row, n, variant];
            const seats = [
              ...Array.from({ length: front! }, (_, i) => id(s, row, n + i)),
              ...Array.from({ length: back! }, (_, i) => id(s, row + 1, n + i)),
            ];
            if (!best || less(key, best.key)) best = { key, seats };
          });
        }
      }
    }
    if (best) return { seats: best.seats, together: false };
  }
  free.sort((a, b) => (less(a.key, b.key) ? -1 : 1));
  return { seats: free.slice(0, k).map((f) => f.seat), together: false };
}

function describe(spec: SectionSpec, index: number, rank: number): Section {
  const focalRow = spec.focal?.row ?? 1;
  const focalSeat = spec.focal?.seat ?? (spec.seatsPerRow + 1) / 2;
  const wheelchair = new Set(spec.wheelchair ?? []);
  const companions = new Set(spec.companions ?? []);
  const blocked = new Set(spec.blocked ?? []);
  const aisles = new Set(spec.aisles ?? []);
  return {
    spec,
    index,
    rank,
    score: (row, n) => spec.seatQuality?.[`${row}-${n}`] ?? 1000 * Math.abs(row - focalRow) + Math.abs(n - focalSeat),
    kind: (row, n) => {
      const key = `${row}-${n}`;
      return wheelchair.has(key) ? 1 : companions.has(key) ? 2 : blocked.has(key) ? 3 : 0;
    },
    beside: (n) => n < spec.seatsPerRow && !aisles.has(n),
  };
}

function less(a: Key, b: Key): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
