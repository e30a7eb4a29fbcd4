import type { SectionSpec } from './show.events.js';

/** A seat's default score grows by this much per row away from the focal point, and by 1 per seat. */
export const ROW_WEIGHT = 1000;

export const REGULAR = 0;
export const WHEELCHAIR = 1;
export const COMPANION = 2;
/** A seat left out of the section: never for sale; like a row end or an aisle, it closes a run. */
export const BLOCKED = 3;

/**
 * What never changes about a section: every seat's score (lower is better), which seats are for
 * wheelchairs and their companions, where the aisles are, and the rows from best to worst.
 * Seat (row r, number n) is index `(r - 1) * width + (n - 1)`.
 */
export interface SectionLayout {
  id: string;
  rows: number;
  width: number;
  price: number;
  score: Float64Array;
  /** Per row, `width + 1` running sums of the row's scores: a block's score in O(1). */
  prefix: Float64Array;
  /** REGULAR, WHEELCHAIR, COMPANION or BLOCKED per seat. */
  access: Uint8Array;
  /** 1 where an aisle follows seat n (index n - 1). */
  aisleAfter: Uint8Array;
  /** Rows (1-based) sorted by their lowest seat score, then by number. */
  rowOrder: Int32Array;
  /** The lowest seat score of the row at each position of `rowOrder`. */
  orderMin: Float64Array;
  /** Runs of adjacent accessible seats (wheelchair and companion) in one row, between aisles and blocked seats. */
  accessGroups: { row: number; seats: number[] }[];
}

const layouts = new WeakMap<SectionSpec, SectionLayout>();

/** The section's layout, computed once per section object (linear in its seats). */
export function sectionLayout(spec: SectionSpec): SectionLayout {
  let layout = layouts.get(spec);
  if (!layout) {
    layout = buildLayout(spec);
    layouts.set(spec, layout);
  }
  return layout;
}

function buildLayout(spec: SectionSpec): SectionLayout {
  const { rows, seatsPerRow: width } = spec;
  const focalRow = spec.focal?.row ?? 1;
  const focalSeat = spec.focal?.seat ?? (width + 1) / 2;
  const score = new Float64Array(rows * width);
  const prefix = new Float64Array(rows * (width + 1));
  const access = new Uint8Array(rows * width);
  const aisleAfter = new Uint8Array(width);
  for (const n of spec.aisles ?? []) aisleAfter[n - 1] = 1;
  for (const key of spec.wheelchair ?? []) access[seatIndexOfKey(key, width)] = WHEELCHAIR;
  for (const key of spec.companions ?? []) access[seatIndexOfKey(key, width)] = COMPANION;
  for (const key of spec.blocked ?? []) access[seatIndexOfKey(key, width)] = BLOCKED;
  const rowMin: number[] = [];
  for (let r = 1; r <= rows; r++) {
    let min = Infinity;
    for (let n = 1; n <= width; n++) {
      const i = (r - 1) * width + n - 1;
      const value = spec.seatQuality?.[`${r}-${n}`] ?? ROW_WEIGHT * Math.abs(r - focalRow) + Math.abs(n - focalSeat);
      score[i] = value;
      prefix[(r - 1) * (width + 1) + n] = prefix[(r - 1) * (width + 1) + n - 1]! + value;
      if (access[i] === REGULAR && value < min) min = value;
    }
    rowMin.push(min);
  }
  const order = Array.from({ length: rows }, (_, i) => i + 1).sort((a, b) => rowMin[a - 1]! - rowMin[b - 1]! || a - b);
  return {
    id: spec.id,
    rows,
    width,
    price: spec.price,
    score,
    prefix,
    access,
    aisleAfter,
    rowOrder: Int32Array.from(order),
    orderMin: Float64Array.from(order.map((r) => rowMin[r - 1]!)),
    accessGroups: accessGroups(rows, width, access, aisleAfter),
  };
}

function accessGroups(rows: number, width: number, access: Uint8Array, aisleAfter: Uint8Array): SectionLayout['accessGroups'] {
  const groups: SectionLayout['accessGroups'] = [];
  for (let r = 1; r <= rows; r++) {
    let current: number[] = [];
    for (let n = 1; n <= width; n++) {
      const kind = access[(r - 1) * width + n - 1];
      if (kind === WHEELCHAIR || kind === COMPANION) current.push(n);
      else current = flush(groups, r, current);
      if (aisleAfter[n - 1]) current = flush(groups, r, current);
    }
    flush(groups, r, current);
  }
  return groups;
}

function flush(groups: SectionLayout['accessGroups'], row: number, seats: number[]): number[] {
  if (seats.length > 0) groups.push({ row, seats });
  return [];
}

/** `"3-7"` → the index of row 3, seat 7 (the key is checked when the show is scheduled). */
export function seatIndexOfKey(key: string, width: number): number {
  const [row, n] = key.split('-').map(Number);
  return (row! - 1) * width + n! - 1;
}

const ranks = new WeakMap<SectionSpec[], Map<string, number>>();

/** Each section's rank: its own, or by default the dearest are 1, the next price down 2, and so on. */
export function sectionRanks(sections: SectionSpec[]): Map<string, number> {
  let known = ranks.get(sections);
  if (!known) {
    const prices = [...new Set(sections.map((s) => s.price))].sort((a, b) => b - a);
    known = new Map(sections.map((s) => [s.id, s.rank ?? prices.indexOf(s.price) + 1]));
    ranks.set(sections, known);
  }
  return known;
}

/** Adjacent in one row with no aisle between: a party sits together. */
export function adjacent(layout: SectionLayout, n: number): boolean {
  return n < layout.width && !layout.aisleAfter[n - 1];
}

/** Seats of the section that are for sale: all but the blocked ones. */
export const sectionSeats = (spec: SectionSpec): number => spec.rows * spec.seatsPerRow - new Set(spec.blocked ?? []).size;

/** True when seat (row, n) is left out of the section. */
export function seatBlocked(spec: SectionSpec, row: number, n: number): boolean {
  if (!spec.blocked?.length) return false;
  const layout = sectionLayout(spec);
  return layout.access[(row - 1) * layout.width + n - 1] === BLOCKED;
}
