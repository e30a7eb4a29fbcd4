import { expect } from 'chai';
import { defaultAdmissionSettings } from '../../../src/application/admission/admission-settings.js';
import { QueueWaits } from '../../../src/application/admission/queue-waits.js';
import { estimateWait } from '../../../src/application/admission/wait-estimate.js';
import type { AdmissionLeases } from '../../../src/application/ports/admission-leases.js';
import type { SaleSettings } from '../../../src/application/ports/sale-catalog.js';

const now = 1_000_000;
const sale: SaleSettings = {
  showId: 'show-1',
  salesOpenAt: new Date(0),
  queue: { enabled: true, admitPerSecond: 5, maxActive: 10 },
  remaining: 100,
};
const { leaseMs, maxSessionMs } = defaultAdmissionSettings.lease;
const session = { typical: leaseMs / 1000, longest: maxSessionMs / 1000 };

/** Every place taken, ending one a second from `now` + 0.5 s; counts its reads. */
function fullLeases(): AdmissionLeases & { reads: number } {
  const leases = {
    reads: 0,
    leaseEnds: async (_showId: string, limit: number) => {
      leases.reads++;
      return Array.from({ length: limit }, (_, i) => now + (i + 1) * 1000 + 500);
    },
  };
  return leases;
}

describe('the waiting room: one wait curve shared by the answers of one lease-ends read', () => {
  it('when members join one after another on the same read, then each is told what a simulation of their own would say', async () => {
    const leases = fullLeases();
    const waits = new QueueWaits(leases, defaultAdmissionSettings);
    const leaseEnds = await leases.leaseEnds(sale.showId, 10);
    leases.reads = 0;
    // within the read's second, further back than the first curve covered (it is drawn again, longer)
    for (const ahead of [0, 7, 300, 5_000, 1_500]) {
      const told = await waits.wait(sale, ahead, now);
      expect(told, `ahead ${ahead}`).to.deep.equal(estimateWait({ ahead, ...sale.queue, leaseEnds, now, sessionSeconds: session }));
    }
    expect(leases.reads).to.equal(1);
  });

  it('when asked later on the same read, then the wait is shorter by the time gone by, never below zero', async () => {
    const leases = fullLeases();
    const waits = new QueueWaits(leases, defaultAdmissionSettings);
    const first = await waits.wait(sale, 20, now);
    const later = await waits.wait(sale, 20, now + 600);
    expect(later.lowSeconds).to.equal(first.lowSeconds - 1); // x.5 s, then x.5 - 0.6
    expect(later.highSeconds).to.be.at.most(first.highSeconds);
    expect((await waits.wait(sale, 0, now + 900)).lowSeconds).to.be.at.least(0);
  });

  it('when a place is free, then each answer reads the lease ends again, and a place taken since gives a new curve', async () => {
    let ends: number[] = [];
    let reads = 0;
    const waits = new QueueWaits(
      {
        leaseEnds: async () => (reads++, ends),
      },
      defaultAdmissionSettings,
    );
    const free = await waits.wait(sale, 40, now);
    expect(free).to.deep.equal(estimateWait({ ahead: 40, ...sale.queue, leaseEnds: [], now, sessionSeconds: session }));
    // nine places taken since, each held 30 s more: the estimate is drawn from the new read
    ends = Array.from({ length: 9 }, () => now + 30_000);
    const taken = await waits.wait(sale, 40, now + 100);
    expect(reads).to.equal(2);
    expect(taken).to.deep.equal(estimateWait({ ahead: 40, ...sale.queue, leaseEnds: ends, now: now + 100, sessionSeconds: session }));
    expect(taken.lowSeconds).to.be.greaterThan(free.lowSeconds);
  });

  it('when the read is over a second old, then the lease ends are read again and the curve drawn from them', async () => {
    const leases = fullLeases();
    const waits = new QueueWaits(leases, defaultAdmissionSettings);
    await waits.wait(sale, 3, now);
    await waits.wait(sale, 3, now + 1_500);
    expect(leases.reads).to.equal(2);
  });
});
