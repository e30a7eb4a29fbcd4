import { mostAtOnce, RECOVERY_GOAL_MS, type FaultSummary } from './fault-report.js';
import type { FaultRun } from './fault-run.js';
import type { SaleCheck } from './sale-check.js';

/** The figures of one stretch of a kill's run: before the kill, its window, after the window. */
export interface Period {
  /** Seconds since the stretch began. */
  from: number;
  to: number;
  bookingsPerSecond: number;
  /** 5xx and unanswered (0) requests by status. */
  failures: Record<string, number>;
  serverErrors: number;
  unavailable: { withRetryAfter: number; without: number };
  confirms: { seen: number; stored: number; inReservations: number };
  /** Queued show: the most members admitted at once, as buyers saw it and as the leases counted. */
  admitted?: { seen: number; leases: number };
}

export interface KillFigures {
  periods: { before: Period; window: Period; after: Period };
}

/**
 * Cuts a kill's run into before the kill, the window (from the kill to 10 s after the heal: a request
 * in flight at any moment of it counts there) and after it, and checks each confirm seen in each
 * against the store and the member's reservations (`check`, taken once for the whole sale).
 */
export function killFigures(run: FaultRun, check: SaleCheck): KillFigures {
  const { injected, healed, ended } = run.marks;
  const windowEnd = healed + RECOVERY_GOAL_MS;
  const lost = new Set(check.lostConfirms);
  const missing = new Set(check.missingFromMember);
  // `until`: where confirms and admissions are counted to (the last period: the stretch's own end, past `to`)
  const period = (from: number, to: number, isIn: (a: FaultRun['answers'][number]) => boolean, until = to): Period => {
    const answers = run.answers.filter(isIn);
    const failed = answers.filter((a) => a.status === 0 || a.status >= 500);
    const failures: Record<string, number> = {};
    for (const a of failed) failures[a.status] = (failures[a.status] ?? 0) + 1;
    const unavailable = answers.filter((a) => a.status === 503);
    const seen = run.confirms.filter((c) => c.at >= from && c.at < until);
    const booked = run.answers.filter((a) => a.op === 'confirm' && a.status === 201 && a.at >= from && a.at < to).length;
    const queue = run.queue;
    return {
      from,
      to,
      bookingsPerSecond: to > from ? (booked * 1000) / (to - from) : NaN,
      failures,
      serverErrors: answers.filter((a) => a.status === 500).length,
      unavailable: {
        withRetryAfter: unavailable.filter((a) => a.retryAfter).length,
        without: unavailable.filter((a) => !a.retryAfter).length,
      },
      confirms: {
        seen: seen.length,
        stored: seen.filter((c) => !lost.has(c.reservationId)).length,
        inReservations: seen.filter((c) => !missing.has(c.reservationId)).length,
      },
      admitted: queue && {
        seen: mostAtOnce(
          queue.stays
            .filter((s) => s.to > from && s.from < to)
            .map((s) => ({ ...s, from: Math.max(s.from, from), to: Math.min(s.to, to) })),
        ),
        leases: Math.max(0, ...queue.leases.filter((s) => s.at >= from && s.at < to).map((s) => s.active)),
      },
    };
  };
  const afterFrom = Math.min(windowEnd, ended);
  return {
    periods: {
      before: period(0, injected, (a) => a.at < injected),
      window: period(injected, afterFrom, (a) => a.at >= injected && a.at - a.ms < windowEnd),
      after: period(afterFrom, ended, (a) => a.at - a.ms >= windowEnd, Infinity),
    },
  };
}

/**
 * One Markdown table for one kill: a column each for before the kill, its window and after it, and
 * the goal. `offset`: where the kill's stretch begins in the sale, in ms, so that times read as the
 * sale's; `pauseOpen`: the longest pause was still running at the next kill (or the end).
 */
export function formatKillTable(run: FaultRun, summary: FaultSummary, check: SaleCheck, offset: number, pauseOpen = false): string {
  const { before, window, after } = killFigures(run, check).periods;
  const periods = [before, window, after];
  const seconds = (ms: number) => ((ms + offset) / 1000).toFixed(1);
  const each = (cell: (p: Period) => string) => periods.map(cell);
  const inWindow = (value: string) => ['', value, ''];
  const maxActive = run.queue?.maxActive;
  const rows: [string, string[], string][] = [
    ['seconds of the sale', each((p) => `${seconds(p.from)}–${seconds(p.to)}`), ''],
    ['bookings/s', each((p) => (Number.isNaN(p.bookingsPerSecond) ? '–' : p.bookingsPerSecond.toFixed(1))), ''],
    ['s until bookings flow again (from the kill, or its heal)', inWindow(summary.recoverySeconds?.toFixed(2) ?? 'never'), '≤ 10'],
    [
      'longest s without a booking (from the kill)',
      inWindow(
        `${pauseOpen ? '≥ ' : ''}${summary.longestGapSeconds.toFixed(2)}${pauseOpen ? ' (none yet at the next kill or the end)' : ''}`,
      ),
      '≤ 10',
    ],
    ['5xx and unanswered (0)', each((p) => counts(p.failures)), '0 outside the window'],
    ['503 with Retry-After / without', each((p) => `${p.unavailable.withRetryAfter} / ${p.unavailable.without}`), 'all with'],
    ['500', each((p) => String(p.serverErrors)), 'never'],
    [
      "confirms seen / in the store / in members' reservations",
      each((p) => `${p.confirms.seen} / ${p.confirms.stored} / ${p.confirms.inReservations}`),
      'equal (0 lost)',
    ],
    ...(maxActive === undefined
      ? []
      : ([
          [
            `most admitted at once: seen / leases (maxActive ${maxActive})`,
            each((p) => `${p.admitted!.seen} / ${p.admitted!.leases}`),
            `≤ ${maxActive}`,
          ],
        ] satisfies [string, string[], string][])),
    ['slowest hold or confirm (kill to end)', inWindow(`${(summary.slowestMs / 1000).toFixed(1)} s`), ''],
    ['seats sold twice (the whole sale)', ['', '', String(check.soldTwice.length)], '0'],
  ];
  const header = [
    `${run.fault}, killed at ${seconds(run.marks.injected)} s`,
    'before the kill',
    'the window (to 10 s after)',
    'after the window',
    'goal',
  ];
  const lines = [header, ['---', '---:', '---:', '---:', '---'], ...rows.map(([name, cells, goal]) => [name, ...cells, goal])];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const counts = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ') || '0';
