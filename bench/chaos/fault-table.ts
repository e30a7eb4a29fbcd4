import type { FaultSummary } from './fault-report.js';
import type { SaleCheck } from './sale-check.js';

export interface FaultRow {
  summary: FaultSummary;
  check: SaleCheck;
}

/** One Markdown table, a row per fault (docs/benchmarks.md takes it as printed). */
export function formatFaultTable(rows: FaultRow[]): string {
  const header = [
    'fault',
    'bookings/s before',
    'during',
    'after',
    's until bookings flow',
    'longest s without a booking',
    's until ready',
    'seat map during: fresh / stale / failed',
    'answers by status',
    '5xx and unanswered: in the window / outside',
    '503 without Retry-After',
    'most admitted at once: seen / leases / maxActive',
    'slowest hold or confirm',
    'confirms seen / stored',
    'lost, sold twice, seat map off',
  ];
  const lines = rows.map(({ summary: s, check: c }) => [
    s.fault,
    s.perSecond.before.toFixed(1),
    Number.isNaN(s.perSecond.during) ? '–' : s.perSecond.during.toFixed(1),
    s.perSecond.after.toFixed(1),
    s.recoverySeconds?.toFixed(2) ?? 'never',
    s.longestGapSeconds.toFixed(2),
    s.readyAgainSeconds?.toFixed(2) ?? '–',
    `${s.seatMapDuring.fresh} / ${s.seatMapDuring.stale} / ${s.seatMapDuring.failed}`,
    counts(s.statuses),
    `${counts(s.failures.inside)} / ${counts(s.failures.outside)}`,
    String(s.unavailableWithoutRetryAfter),
    s.admittedAtOnce ? `${s.admittedAtOnce.clients} / ${s.admittedAtOnce.leases} / ${s.admittedAtOnce.maxActive}` : '–',
    `${(s.slowestMs / 1000).toFixed(1)} s`,
    `${s.confirmsSeen} / ${c.stored}`,
    `${c.lostConfirms.length}, ${c.soldTwice.length}, ${c.seatMapExtra.length + c.seatMapMissing.length + c.missingFromMember.length}`,
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const counts = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ') || '0';
