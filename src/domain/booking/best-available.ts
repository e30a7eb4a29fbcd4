import { COMPANION, sectionRanks, WHEELCHAIR, type SectionLayout } from '../catalog/section-layout.js';
import type { SectionSpec } from '../catalog/show.events.js';
import { bestAlignedRows, bestRowBlock, bestSeats, byScore, type Block } from './best-block.js';
import type { QuantityRequest } from './booking.commands.js';
import { AccessibleUnavailable, InvalidHoldRequest, NotTogether, SeatsUnavailable } from './booking.errors.js';
import type { HoldPart } from './booking.events.js';
import { longestRun, type FreeRuns } from './free-runs.js';

/** A section that may serve the request, with its free runs. */
export interface Candidate {
  spec: SectionSpec;
  rank: number;
  runs: FreeRuns;
}

export interface BestPick {
  parts: HoldPart[];
  together: boolean;
}

/** The sections a best-available request may take seats from, best rank first (then the show's order). */
export function eligibleSections(sections: SectionSpec[], request: QuantityRequest): { spec: SectionSpec; rank: number }[] {
  if (request.section !== undefined && !sections.some((s) => s.id === request.section)) {
    throw new InvalidHoldRequest(`section: there is no section ${request.section}`, { field: 'section' });
  }
  const ranks = sectionRanks(sections);
  return sections
    .filter(
      (s) => (request.section === undefined || s.id === request.section) && (request.maxPrice === undefined || s.price <= request.maxPrice),
    )
    .map((spec) => ({ spec, rank: ranks.get(spec.id)! }))
    .sort((a, b) => a.rank - b.rank);
}

/**
 * Picks the best seats for `request` from the candidates (in rank order), following the four
 * steps of docs/booking.md; each step is tried in every section before the next step.
 */
export function pickBest(request: QuantityRequest, candidates: Candidate[]): BestPick {
  const k = request.quantity;
  const accessible = request.accessible ?? 0;
  if (accessible > k) throw new InvalidHoldRequest('accessible: at most as many wheelchair places as tickets', { field: 'accessible' });
  if (accessible > 0) return { parts: partsOf(pickAccessible(candidates, accessible, k - accessible)), together: true };
  const free = candidates.reduce((sum, c) => sum + c.runs.free, 0);
  if (free < k) throw new SeatsUnavailable({ requested: k, available: free });
  const block =
    bestOfRanks(candidates, (runs) => bestRowBlock(runs, k, true)) ?? bestOfRanks(candidates, (runs) => bestRowBlock(runs, k, false));
  if (block) return { parts: partsOf([block]), together: true };
  if ((request.together ?? 'required') === 'required') {
    throw new NotTogether(k, Math.max(0, ...candidates.map((c) => longestRun(c.runs))));
  }
  const aligned = bestOfRanks(candidates, (runs) => bestAlignedRows(runs, k));
  if (aligned) return { parts: partsOf([aligned]), together: false };
  return { parts: partsOf(scattered(candidates, k)), together: false };
}

interface Found {
  candidate: Candidate;
  block: Block;
}

/** The first rank with a block wins; within a rank, the lowest score, then the show's order of sections. */
function bestOfRanks(candidates: Candidate[], find: (runs: FreeRuns) => Block | undefined): Found | undefined {
  let best: Found | undefined;
  for (const candidate of candidates) {
    if (best && candidate.rank > best.candidate.rank) break;
    const block = find(candidate.runs);
    if (block && (!best || block.score < best.block.score)) best = { candidate, block };
  }
  return best;
}

/** Step 4: the k best seats by (rank, score, section, seat). */
function scattered(candidates: Candidate[], k: number): Found[] {
  const seats = candidates.flatMap((candidate, c) => bestSeats(candidate.runs, k).map((block) => ({ candidate, block, c })));
  seats.sort((a, b) => a.candidate.rank - b.candidate.rank || a.block.score - b.block.score || a.c - b.c || byScore(a.block, b.block));
  return seats.slice(0, k);
}

/**
 * k wheelchair places and `companions` companion seats, side by side within one run of accessible
 * seats (few in any hall, so they are scanned): the best window by rank, then score.
 */
function pickAccessible(candidates: Candidate[], k: number, companions: number): Found[] {
  let best: Found | undefined;
  for (const candidate of candidates) {
    if (best && candidate.rank > best.candidate.rank) break;
    const { layout, taken } = candidate.runs;
    for (const group of layout.accessGroups) {
      const window = bestWindow(layout, taken, group, k, companions);
      if (window && (!best || window.score < best.block.score)) best = { candidate, block: window };
    }
  }
  if (!best) throw new AccessibleUnavailable(k, companions);
  return [best];
}

function bestWindow(layout: SectionLayout, taken: Uint8Array, group: SectionLayout['accessGroups'][number], k: number, companions: number) {
  const base = (group.row - 1) * layout.width - 1;
  let best: Block | undefined;
  for (let from = 0; from + k + companions <= group.seats.length; from++) {
    const seats = group.seats.slice(from, from + k + companions).map((n) => base + n);
    const contiguous = seats.every((i, j) => j === 0 || i === seats[j - 1]! + 1);
    const places = seats.filter((i) => layout.access[i] === WHEELCHAIR).length;
    const beside = seats.filter((i) => layout.access[i] === COMPANION).length;
    if (!contiguous || places !== k || beside !== companions || seats.some((i) => taken[i])) continue;
    const score = seats.reduce((sum, i) => sum + layout.score[i]!, 0);
    if (!best || score < best.score) best = { seats, score, order: seats[0]! };
  }
  return best;
}

/** Blocks as hold parts, one per section, seats in row and seat order. */
function partsOf(found: Found[]): HoldPart[] {
  const bySection = new Map<SectionSpec, number[]>();
  for (const { candidate, block } of found) bySection.set(candidate.spec, [...(bySection.get(candidate.spec) ?? []), ...block.seats]);
  return [...bySection].map(([spec, seats]) => ({
    part: spec.id,
    seats: seats.sort((a, b) => a - b).map((i) => `${spec.id}-${Math.floor(i / spec.seatsPerRow) + 1}-${(i % spec.seatsPerRow) + 1}`),
    quantity: seats.length,
    price: spec.price,
  }));
}
