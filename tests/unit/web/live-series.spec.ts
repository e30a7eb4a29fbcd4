import { expect } from 'chai';
import type { SaleSample } from '../../../web/src/api/admin-types.js';
import { columns } from '../../../web/src/components/admin/live-series.js';

const sample = (second: number, sold: number, extra: Partial<SaleSample> = {}): SaleSample => ({
  at: new Date(Date.UTC(2026, 11, 5, 4, 0, second)).toISOString(),
  state: 'on-sale',
  capacity: 100,
  sold,
  held: 3,
  remaining: 100 - sold - 3,
  waitingRoom: true,
  waiting: 40,
  active: 10,
  admittedTotal: 60,
  abandonedTotal: 2,
  admitPerSecond: 5,
  maxActive: 20,
  paused: false,
  ...extra,
});

describe('the live dashboard series', () => {
  it('when samples come a second or two apart, then bookings per second are the sold steps over the time between', () => {
    const { rate, tickets, queue } = columns([sample(0, 10), sample(1, 14), sample(3, 20), sample(4, 18, { paused: true })]);
    expect(rate[1]).to.deep.equal([0, 4, 3, 0]);
    expect(tickets.slice(1)).to.deep.equal([
      [10, 14, 20, 18],
      [3, 3, 3, 3],
      [100, 100, 100, 100],
    ]);
    expect(queue[3]).to.deep.equal([5, 5, 5, 0]);
    expect(tickets[0]![1]! - tickets[0]![0]!).to.equal(1);
  });
});
