import type { SectionLayout } from '../catalog/section-layout.js';
import { firstRowWithRun, type FreeRuns } from './free-runs.js';

/** Seats (indexes into the section) and their summed score; ties go to the lower `order`. */
export interface Block {
  seats: number[];
  score: number;
  /** Tie-break after the score: the row, then the first seat (see docs/booking.md). */
  order: number;
}

/**
 * Steps 1 and 2: the best k adjacent seats in one row, optionally leaving no orphan (a single
 * free seat) in the run they come from. Rows are visited best first through the segment tree,
 * skipping rows without a run that fits (for step 1: exactly k, or k + 2 and more; a run of k + 1
 * always strands a seat), and the search stops at the first row whose lowest
 * seat score already makes every block there worse than the best found: with the default scores
 * that is the row after the first one with a fitting run.
 */
export function bestRowBlock(runs: FreeRuns, k: number, noOrphan: boolean): Block | undefined {
  const { layout } = runs;
  let best: { row: number; start: number; score: number } | undefined;
  for (let pos = firstRowWithRun(runs, 0, k, noOrphan); pos >= 0; pos = firstRowWithRun(runs, pos + 1, k, noOrphan)) {
    if (best && k * layout.orderMin[pos]! > best.score) break;
    const row = layout.rowOrder[pos]!;
    const found = bestInRow(runs, row, k, noOrphan);
    if (found && (!best || found.score < best.score || (found.score === best.score && row < best.row))) best = { row, ...found };
  }
  return best && rowBlock(layout, best.row, best.start, k, best.score);
}

function bestInRow(runs: FreeRuns, row: number, k: number, noOrphan: boolean): { start: number; score: number } | undefined {
  const { prefix, width } = runs.layout;
  const base = (row - 1) * (width + 1);
  const list = runs.runs[row - 1]!;
  let best: { start: number; score: number } | undefined;
  for (let j = 0; j < list.length; j += 2) {
    const from = list[j]!;
    const length = list[j + 1]!;
    for (let p = from; p + k <= from + length; p++) {
      if (noOrphan && (p - from === 1 || from + length - p - k === 1)) continue;
      const score = prefix[base + p + k - 1]! - prefix[base + p - 1]!;
      if (!best || score < best.score) best = { start: p, score };
    }
  }
  return best;
}

function rowBlock(layout: SectionLayout, row: number, start: number, k: number, score: number): Block {
  const first = (row - 1) * layout.width + start - 1;
  return { seats: Array.from({ length: k }, (_, i) => first + i), score, order: first };
}

/**
 * Step 3: the party split over two adjacent rows, one behind the other from the same seat number
 * (the larger half in either row). Only tried when no row has k adjacent seats, so it may visit
 * every row pair: linear in the section.
 */
export function bestAlignedRows(runs: FreeRuns, k: number): Block | undefined {
  if (k < 2) return undefined;
  const { layout } = runs;
  const larger = Math.ceil(k / 2);
  const smaller = k - larger;
  let best: Block | undefined;
  let ahead = freeFrom(runs, 1);
  for (let row = 1; row < layout.rows; row++) {
    const behind = freeFrom(runs, row + 1);
    if (runs.rowMax[row - 1]! >= smaller && runs.rowMax[row]! >= smaller) {
      for (let n = 1; n <= layout.width; n++) {
        for (const [front, back] of [
          [larger, smaller],
          [smaller, larger],
        ] as const) {
          if (ahead[n - 1]! < front || behind[n - 1]! < back) continue;
          const score = sum(layout, row, n, front) + sum(layout, row + 1, n, back);
          if (!best || score < best.score) {
            const first = (row - 1) * layout.width + n - 1;
            const seats = [...range(first, front), ...range(first + layout.width, back)];
            best = { seats, score, order: first };
          }
        }
      }
    }
    ahead = behind;
  }
  return best;
}

/** For each seat of the row, how many free regular seats run from it to the right (0 when taken). */
function freeFrom(runs: FreeRuns, row: number): Int32Array {
  const from = new Int32Array(runs.layout.width);
  const list = runs.runs[row - 1]!;
  for (let j = 0; j < list.length; j += 2) {
    for (let i = 0; i < list[j + 1]!; i++) from[list[j]! - 1 + i] = list[j + 1]! - i;
  }
  return from;
}

const sum = (layout: SectionLayout, row: number, start: number, k: number) =>
  layout.prefix[(row - 1) * (layout.width + 1) + start + k - 1]! - layout.prefix[(row - 1) * (layout.width + 1) + start - 1]!;

const range = (first: number, length: number) => Array.from({ length }, (_, i) => first + i);

/** Step 4: the k best free regular seats, each a block of one, best first (rows visited best first). */
export function bestSeats(runs: FreeRuns, k: number): Block[] {
  const { layout } = runs;
  const found: Block[] = [];
  for (let pos = firstRowWithRun(runs, 0, 1); pos >= 0; pos = firstRowWithRun(runs, pos + 1, 1)) {
    if (found.length >= k && layout.orderMin[pos]! > found[k - 1]!.score) break;
    const row = layout.rowOrder[pos]!;
    const list = runs.runs[row - 1]!;
    for (let j = 0; j < list.length; j += 2) {
      for (let n = list[j]!; n < list[j]! + list[j + 1]!; n++) {
        const i = (row - 1) * layout.width + n - 1;
        found.push({ seats: [i], score: layout.score[i]!, order: i });
      }
    }
    found.sort(byScore);
    found.length = Math.min(found.length, k);
  }
  return found;
}

export const byScore = (a: Block, b: Block) => a.score - b.score || a.order - b.order;
