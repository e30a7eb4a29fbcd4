import { REGULAR, type SectionLayout } from '../catalog/section-layout.js';

/**
 * The free runs of a section's regular seats, per row, kept beside the inventory state so that a
 * best-available pick never scans the section. A run is a stretch of adjacent free regular seats
 * between taken seats, row ends, aisles and accessible places. `tree` is a max segment tree of each
 * row's longest run over the rows in `layout.rowOrder`: the best row that can take k seats is
 * found in O(log rows). A change recomputes only the rows it touches.
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
    size,
    free: 0,
  };
  for (const i of claimed) runs.taken[i] = 1;
  for (let r = 1; r <= layout.rows; r++) recountRow(runs, r, false);
  const orderPos = positions(layout);
  for (let r = 1; r <= layout.rows; r++) runs.tree[size + orderPos[r - 1]!] = runs.rowMax[r - 1]!;
  for (let node = size - 1; node >= 1; node--) runs.tree[node] = Math.max(runs.tree[2 * node]!, runs.tree[2 * node + 1]!);
  return runs;
}

export function cloneFreeRuns(runs: FreeRuns): FreeRuns {
  return { ...runs, taken: runs.taken.slice(), runs: runs.runs.slice(), rowMax: runs.rowMax.slice(), tree: runs.tree.slice() };
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

/** The first position of `layout.rowOrder` at or after `from` whose row has a run of at least `k`; -1 when none. */
export function firstRowWithRun(runs: FreeRuns, from: number, k: number): number {
  if (from >= runs.layout.rows) return -1;
  return descend(runs, 1, 0, runs.size, from, k);
}

function descend(runs: FreeRuns, node: number, lo: number, hi: number, from: number, k: number): number {
  if (hi <= from || runs.tree[node]! < k) return -1;
  if (hi - lo === 1) return lo;
  const mid = (lo + hi) >> 1;
  const left = descend(runs, 2 * node, lo, mid, from, k);
  return left >= 0 ? left : descend(runs, 2 * node + 1, mid, hi, from, k);
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
  if (updateTree) setLeaf(runs, positions(runs.layout)[r - 1]!, max);
}

function setLeaf(runs: FreeRuns, pos: number, value: number): void {
  let node = runs.size + pos;
  runs.tree[node] = value;
  for (node >>= 1; node >= 1; node >>= 1) runs.tree[node] = Math.max(runs.tree[2 * node]!, runs.tree[2 * node + 1]!);
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
