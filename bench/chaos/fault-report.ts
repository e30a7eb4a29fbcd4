import type { FaultRun } from './fault-run.js';

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
  /** 503 answers without a Retry-After header. */
  unavailableWithoutRetryAfter: number;
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
  const readyAgain = run.probes.find((p) => p.path === '/health/ready' && p.at >= healed && p.status === 200);
  return {
    fault: run.fault,
    perSecond: { before: rate(0, injected), during: healed - injected < 500 ? NaN : rate(injected, healed), after: rate(healed, ended) },
    recoverySeconds: firstAfter && round((firstAfter.at - healed) / 1000),
    longestGapSeconds: round(
      longestGap([injected, ...confirms.map((a) => a.at).filter((at) => at > injected && at < ended), ended]) / 1000,
    ),
    statuses,
    unavailableWithoutRetryAfter: run.answers.filter((a) => a.status === 503 && !a.retryAfter).length,
    slowestMs: Math.round(Math.max(0, ...run.answers.map((a) => a.ms))),
    confirmsSeen: run.confirms.length,
    readyAgainSeconds: readyAgain && round((readyAgain.at - healed) / 1000),
    liveFailures: run.probes.filter((p) => p.path === '/health/live' && p.status !== 200).length,
    seatMapDuring: seatMapDuring(run.probes.filter((p) => p.path === 'seat map' && p.at > injected && p.at <= healed)),
  };
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
