import { expect } from 'chai';
import type { Answer, SeenConfirm } from '../../../bench/chaos/buyers.js';
import { sliceKill, type SaleRun } from '../../../bench/chaos/fault-run.js';
import { longestPause } from '../../../bench/chaos/hosts-sale.js';
import { formatKillTable, killFigures } from '../../../bench/chaos/kill-table.js';
import { summarize } from '../../../bench/chaos/fault-report.js';
import { CLEAN_SALE, type SaleCheck } from '../../../bench/chaos/sale-check.js';

const answer = (op: Answer['op'], status: number, sentAt: number, ms: number, retryAfter?: string): Answer => ({
  op,
  status,
  at: sentAt + ms,
  ms,
  retryAfter,
});
const confirm = (id: string, at: number): SeenConfirm => ({ memberId: 'm', reservationId: id, seats: [id], at });
const kill = (name: string, injected: number, ended: number) => ({
  fault: name,
  description: '',
  marks: { injected, healed: injected, ended },
});

// two kills in one sale: at 5 s (window to 15 s) and at 20 s (window to 30 s), the sale ending at 35 s
const sale: SaleRun = {
  kills: [kill('first', 5_000, 20_000), kill('second', 20_000, 35_000)],
  answers: [
    answer('hold', 503, 6_000, 10, '1'), // the first's window
    answer('confirm', 0, 14_000, 15_000), // in flight at both kills: in both windows
    answer('hold', 502, 16_000, 10), // after the first's window, before the second: outside for both
    answer('confirm', 201, 17_000, 10),
    answer('hold', 500, 21_000, 10), // the second's window
    answer('confirm', 201, 31_000, 10),
  ],
  confirms: [confirm('a', 3_000), confirm('b', 17_010), confirm('c', 31_010)],
  probes: [],
  queue: {
    stays: [
      { memberId: 'x', from: 1_000, to: 18_000 },
      { memberId: 'y', from: 17_000, to: 22_000 },
    ],
    leases: [{ at: 17_500, active: 2 }],
    maxActive: 2,
  },
};
const check: SaleCheck = { stored: 3, ...CLEAN_SALE, lostConfirms: ['c'], missingFromMember: ['b'] };

describe('the chaos report of several kills in one sale', () => {
  it("when the sale is cut at each kill, then one kill's after is the next one's before and a request in flight at both counts in both windows", () => {
    const first = killFigures(sliceKill(sale, 0), check).periods;
    const second = killFigures(sliceKill(sale, 1), check).periods;
    expect([first.before.failures, first.window.failures, first.after.failures]).to.deep.equal([{}, { 0: 1, 503: 1 }, { 502: 1 }]);
    expect([second.before.failures, second.window.failures, second.after.failures]).to.deep.equal([{ 502: 1 }, { 0: 1, 500: 1 }, {}]);
    expect(second.window.serverErrors).to.equal(1);
    expect(first.window.unavailable).to.deep.equal({ withRetryAfter: 1, without: 0 });
    expect(sliceKill(sale, 1).offset).to.equal(15_000);
  });

  it('when a confirm seen is missing from the store or from the member, then the period it was seen in says so', () => {
    const first = killFigures(sliceKill(sale, 0), check).periods;
    const second = killFigures(sliceKill(sale, 1), check).periods;
    expect(first.before.confirms).to.deep.equal({ seen: 1, stored: 1, inReservations: 1 });
    expect(first.after.confirms).to.deep.equal({ seen: 1, stored: 1, inReservations: 0 });
    expect(second.after.confirms).to.deep.equal({ seen: 1, stored: 0, inReservations: 1 });
  });

  it('when admissions cross the edges, then each period counts those in force within it', () => {
    const first = killFigures(sliceKill(sale, 0), check).periods;
    expect(first.after.admitted).to.deep.equal({ seen: 2, leases: 2 });
    expect(first.before.admitted).to.deep.equal({ seen: 1, leases: 0 });
  });

  it("when printed, then each kill's table names it, its time in the sale and the goals", () => {
    const slice = sliceKill(sale, 1);
    const table = formatKillTable(slice, summarize(slice), check, slice.offset);
    expect(table).to.include('| second, killed at 20.0 s |');
    expect(table).to.include('| 500 | 0 | 1 | 0 | never |');
    expect(table).to.include('| seconds of the sale | 15.0–20.0 | 20.0–30.0 | 30.0–35.0 |');
    // the first stretch ends at the second kill, though a request of its window was answered at 29 s
    const first = sliceKill(sale, 0);
    expect(formatKillTable(first, summarize(first), check, first.offset)).to.include(
      '| seconds of the sale | 0.0–5.0 | 5.0–15.0 | 15.0–20.0 |',
    );
  });

  it('when no booking comes from a kill to the next one, then the pause is given as still running there', () => {
    expect(longestPause(sale, 0)).to.deep.equal({ seconds: 12.01, open: false });
    const none = { ...sale, answers: sale.answers.filter((a) => a.at !== 17_010) };
    expect(longestPause(none, 0)).to.deep.equal({ seconds: 15, open: true });
  });
});
