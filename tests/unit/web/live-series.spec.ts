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
  etaErrorSumSeconds: 0,
  etaErrorCount: 0,
  projectionLagPositions: 0,
  projectionLagSeconds: 0,
  clientErrorsTotal: 0,
  serverErrorsTotal: 0,
  forgedScans: [],
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

  it('when members are admitted, then the ETA error is their mean per interval, with a gap where nobody was admitted', () => {
    const { eta, admissions } = columns([
      sample(0, 0, { etaErrorSumSeconds: 0, etaErrorCount: 0, admittedTotal: 0 }),
      sample(1, 0, { etaErrorSumSeconds: 6, etaErrorCount: 3, admittedTotal: 3 }),
      sample(2, 0, { etaErrorSumSeconds: 6, etaErrorCount: 3, admittedTotal: 3, abandonedTotal: 3 }),
      sample(4, 0, { etaErrorSumSeconds: 2, etaErrorCount: 5, admittedTotal: 7, abandonedTotal: 3 }),
    ]);
    expect(eta[1]).to.deep.equal([null, 2, null, -2]);
    expect(admissions[1]).to.deep.equal([0, 3, 0, 2]);
    expect(admissions[2]).to.deep.equal([0, 0, 1, 0]);
  });

  it('when the service answers errors, then 4xx and 5xx per second are over the last five samples, and the lag is charted in seconds', () => {
    const samples = [0, 1, 2, 3, 4, 5, 6].map((second) =>
      sample(second, 0, { clientErrorsTotal: second * 10, serverErrorsTotal: second >= 6 ? 5 : 0, projectionLagSeconds: second / 2 }),
    );
    const { errors, lag } = columns(samples);
    expect(errors[1]).to.deep.equal([0, 10, 10, 10, 10, 10, 10]);
    expect(errors[2]).to.deep.equal([0, 0, 0, 0, 0, 0, 1]);
    expect(lag[1]).to.deep.equal([0, 0.5, 1, 1.5, 2, 2.5, 3]);
  });
});
