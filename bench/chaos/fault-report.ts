import type { AdmittedStay } from './buyers.js';
import type { FaultRun } from './fault-run.js';

/** The fault's window lasts from the injection until this long after the heal: the goal for bookings
 * to flow again. A request is inside it when it was in flight at any moment of it. */
export const RECOVERY_GOAL_MS = 10_000;

export interface FaultSummary {
  fault: string;
  /** Confirmed bookings per second before, during and after the fault (during: NaN for a fault that heals itself). */
  perSecond: { before: number; during: number; after: number };
  /** Seconds from the heal to the first confirmed booking after it; undefined when none came. */
  recoverySeconds?: number;
  /** The longest time without a confirmed booking from the injection to the end, in seconds: where
   * the rest of the system keeps booking (other hosts, other masters) the first confirm after the
   * fault comes at once, and this says how long the sale as a whole stood still. */
  longestGapSeconds: number;
  /** Answers by status (0: the request itself failed). */
  statuses: Record<string, number>;
  /** 5xx and unanswered (0) requests by status, inside the fault's window and outside it. */
  failures: { inside: Record<string, number>; outside: Record<string, number> };
  /** The window, in seconds since the run started. */
  window: { from: number; to: number };
  /** Queued show: the most members admitted at once as buyers saw it and as Redis counted the leases, and maxActive. */
  admittedAtOnce?: { clients: number; leases: number; maxActive: number };
  /** 503 answers without a Retry-After header. */
  unavailableWithoutRetryAfter: number;
  /** The slowest hold or confirm (a long poll's wait is not latency). */
  slowestMs: number;
  confirmsSeen: number;
  /** Seconds from the heal to the first ready probe after it. */
  readyAgainSeconds?: number;
  liveFailures: number;
  /** Seat map answers while the fault was in place: 200 fresh, 200 stale (a copy), anything else. */
  seatMapDuring: { fresh: number; stale: number; failed: number };
}

/** The figures of one fault run. */
export function summarize(run: FaultRun): FaultSummary {
  const { injected, healed, ended } = run.marks;
  const confirms = run.answers.filter((a) => a.op === 'confirm' && a.status === 201);
  const rate = (from: number, to: number) =>
    round((confirms.filter((a) => a.at >= from && a.at < to).length * 1000) / Math.max(1, to - from));
  const firstAfter = confirms.find((a) => a.at >= healed);
  const statuses: Record<string, number> = {};
  for (const answer of run.answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  const windowEnd = healed + RECOVERY_GOAL_MS;
  const failures: FaultSummary['failures'] = { inside: {}, outside: {} };
  for (const answer of run.answers.filter((a) => a.status === 0 || a.status >= 500)) {
    const side = answer.at >= injected && answer.at - answer.ms < windowEnd ? failures.inside : failures.outside;
    side[answer.status] = (side[answer.status] ?? 0) + 1;
  }
  const booking = run.answers.filter((a) => a.op === 'hold' || a.op === 'confirm');
  const readyAgain = run.probes.find((p) => p.path === '/health/ready' && p.at >= healed && p.status === 200);
  return {
    fault: run.fault,
    perSecond: { before: rate(0, injected), during: healed - injected < 500 ? NaN : rate(injected, healed), after: rate(healed, ended) },
    recoverySeconds: firstAfter && round((firstAfter.at - healed) / 1000),
    longestGapSeconds: round(
      longestGap([injected, ...confirms.map((a) => a.at).filter((at) => at > injected && at < ended), ended]) / 1000,
    ),
    statuses,
    failures,
    window: { from: round(injected / 1000), to: round(windowEnd / 1000) },
    admittedAtOnce: run.queue && {
      clients: mostAtOnce(run.queue.stays),
      leases: Math.max(0, ...run.queue.leases.map((s) => s.active)),
      maxActive: run.queue.maxActive,
    },
    unavailableWithoutRetryAfter: run.answers.filter((a) => a.status === 503 && !a.retryAfter).length,
    slowestMs: Math.round(Math.max(0, ...booking.map((a) => a.ms))),
    confirmsSeen: run.confirms.length,
    readyAgainSeconds: readyAgain && round((readyAgain.at - healed) / 1000),
    liveFailures: run.probes.filter((p) => p.path === '/health/live' && p.status !== 200).length,
    seatMapDuring: seatMapDuring(run.probes.filter((p) => p.path === 'seat map' && p.at > injected && p.at <= healed)),
  };
}

/** The most stays overlapping at one instant (a stay that ends as another begins does not overlap it). */
export function mostAtOnce(stays: AdmittedStay[]): number {
  const edges = stays.flatMap((s) => [
    { at: s.from, step: 1 },
    { at: s.to, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (now += edge.step));
  return most;
}

function longestGap(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < sorted.length; i++) longest = Math.max(longest, sorted[i]! - sorted[i - 1]!);
  return longest;
}

function seatMapDuring(probes: FaultRun['probes']): FaultSummary['seatMapDuring'] {
  const ok = probes.filter((p) => p.status === 200);
  return { fresh: ok.filter((p) => !p.stale).length, stale: ok.filter((p) => p.stale).length, failed: probes.length - ok.length };
}

const round = (value: number) => Math.round(value * 100) / 100;
