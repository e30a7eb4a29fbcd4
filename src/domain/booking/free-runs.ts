import { REGULAR, type SectionLayout } from '../catalog/section-layout.js';

/**
 * The free runs of a section's regular seats, per row, kept beside the inventory state so that a
 * best-available pick never scans the section. A run is a stretch of adjacent free regular seats
 * between taken seats, row ends, aisles and accessible places. `tree` is a max segment tree of each
 * row's longest run over the rows in `layout.rowOrder`, and `lengths` beside it ORs the run lengths
 * (as bits) each row has: the best row that can take k seats, or take them leaving no orphan (a run
 * of exactly k, or of k + 2 or more), is found in O(log rows). A change recomputes only its rows.
 */
export interface FreeRuns {
  layout: SectionLayout;
  /** 1 where a hold or sale has claimed the seat. */
  taken: Uint8Array;
  /** Per row (index r - 1): `[start, length, start, length, …]`; replaced, never changed in place (clones share them). */
  runs: number[][];
  /** Per row index: the longest run. */
  rowMax: Int32Array;
  /** Leaves from `size`: the longest run of the row at each position of `layout.rowOrder`. */
  tree: Int32Array;
  /** Same shape: bit n set when a run of exactly n seats (1 ≤ n ≤ 30) is in the row (OR over a node's rows). */
  lengths: Int32Array;
  size: number;
  /** Free regular seats. */
  free: number;
}

/** Builds the index from the claimed seats' indexes: linear in the section's seats. */
export function buildFreeRuns(layout: SectionLayout, claimed: Iterable<number>): FreeRuns {
  let size = 1;
  while (size < layout.rows) size *= 2;
  const runs: FreeRuns = {
    layout,
    taken: new Uint8Array(layout.rows * layout.width),
    runs: Array.from({ length: layout.rows }, () => []),
    rowMax: new Int32Array(layout.rows),
    tree: new Int32Array(2 * size),
    lengths: new Int32Array(2 * size),
    size,
    free: 0,
  };
  for (const i of claimed) runs.taken[i] = 1;
  for (let r = 1; r <= layout.rows; r++) recountRow(runs, r, false);
  const orderPos = positions(layout);
  for (let r = 1; r <= layout.rows; r++) {
    runs.tree[size + orderPos[r - 1]!] = runs.rowMax[r - 1]!;
    runs.lengths[size + orderPos[r - 1]!] = lengthBits(runs.runs[r - 1]!);
  }
  for (let node = size - 1; node >= 1; node--) {
    runs.tree[node] = Math.max(runs.tree[2 * node]!, runs.tree[2 * node + 1]!);
    runs.lengths[node] = runs.lengths[2 * node]! | runs.lengths[2 * node + 1]!;
  }
  return runs;
}

export function cloneFreeRuns(runs: FreeRuns): FreeRuns {
  return {
    ...runs,
    taken: runs.taken.slice(),
    runs: runs.runs.slice(),
    rowMax: runs.rowMax.slice(),
    tree: runs.tree.slice(),
    lengths: runs.lengths.slice(),
  };
}

/** Marks seats claimed (`taken` 1) or free (0) and recounts the rows they are in. */
export function markSeats(runs: FreeRuns, seats: number[], taken: 0 | 1): void {
  const rows = new Set<number>();
  for (const i of seats) {
    if (runs.taken[i] === taken) continue;
    runs.taken[i] = taken;
    rows.add(Math.floor(i / runs.layout.width) + 1);
  }
  for (const r of rows) recountRow(runs, r, true);
}

/**
 * The first position of `layout.rowOrder` at or after `from` whose row has a run of at least `k`
 * (`noOrphan`: a run of exactly k or of at least k + 2); -1 when none.
 */
export function firstRowWithRun(runs: FreeRuns, from: number, k: number, noOrphan = false): number {
  if (from >= runs.layout.rows) return -1;
  // runs longer than the bits say are found through the longest run; k + 1 then only sometimes fits
  const exact = noOrphan && k <= MAX_BIT ? 1 << k : 0;
  const atLeast = noOrphan && k <= MAX_BIT ? k + 2 : k;
  return descend(runs, 1, 0, runs.size, from, exact, atLeast);
}

function descend(runs: FreeRuns, node: number, lo: number, hi: number, from: number, exact: number, atLeast: number): number {
  if (hi <= from || (runs.tree[node]! < atLeast && (runs.lengths[node]! & exact) === 0)) return -1;
  if (hi - lo === 1) return lo;
  const mid = (lo + hi) >> 1;
  const left = descend(runs, 2 * node, lo, mid, from, exact, atLeast);
  return left >= 0 ? left : descend(runs, 2 * node + 1, mid, hi, from, exact, atLeast);
}

const MAX_BIT = 30;

function lengthBits(list: number[]): number {
  let bits = 0;
  for (let j = 1; j < list.length; j += 2) if (list[j]! <= MAX_BIT) bits |= 1 << list[j]!;
  return bits;
}

/** The longest run in the section. */
export const longestRun = (runs: FreeRuns) => runs.tree[1]!;

function recountRow(runs: FreeRuns, r: number, updateTree: boolean): void {
  const { width, access, aisleAfter } = runs.layout;
  const base = (r - 1) * width;
  const list: number[] = [];
  let start = 0;
  let free = 0;
  let max = 0;
  for (let n = 1; n <= width + 1; n++) {
    const open = n <= width && access[base + n - 1] === REGULAR && !runs.taken[base + n - 1];
    if (open && start === 0) start = n;
    // a run ends before a closed seat, at the row end, and after a seat an aisle follows
    const end = !open ? n : aisleAfter[n - 1] ? n + 1 : 0;
    if (start > 0 && end > 0) {
      list.push(start, end - start);
      free += end - start;
      if (end - start > max) max = end - start;
      start = 0;
    }
  }
  const before = runs.runs[r - 1]!;
  for (let j = 1; j < before.length; j += 2) runs.free -= before[j]!;
  runs.free += free;
  runs.runs[r - 1] = list;
  runs.rowMax[r - 1] = max;
  if (updateTree) setLeaf(runs, positions(runs.layout)[r - 1]!, max, lengthBits(list));
}

function setLeaf(runs: FreeRuns, pos: number, max: number, bits: number): void {
  let node = runs.size + pos;
  runs.tree[node] = max;
  runs.lengths[node] = bits;
  for (node >>= 1; node >= 1; node >>= 1) {
    runs.tree[node] = Math.max(runs.tree[2 * node]!, runs.tree[2 * node + 1]!);
    runs.lengths[node] = runs.lengths[2 * node]! | runs.lengths[2 * node + 1]!;
  }
}

const positionsOf = new WeakMap<SectionLayout, Int32Array>();

/** Each row's position in `rowOrder` (row r at index r - 1). */
function positions(layout: SectionLayout): Int32Array {
  let pos = positionsOf.get(layout);
  if (!pos) {
    pos = new Int32Array(layout.rows);
    layout.rowOrder.forEach((r, p) => (pos![r - 1] = p));
    positionsOf.set(layout, pos);
  }
  return pos;
}
