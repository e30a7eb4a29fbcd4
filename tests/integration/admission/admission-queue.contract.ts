import { expect } from 'chai';
import type { AdmissionLeases } from '../../../src/application/ports/admission-leases.js';
import type { AdmissionQueue, AdmitLimits, LeasePolicy } from '../../../src/application/ports/admission-queue.js';
import { aheadAt } from '../../../src/domain/admission/queue-glance.js';
import { uniqueName } from '../../support/services.js';

export interface QueueFixture {
  queue: AdmissionQueue;
  close?(): Promise<void>;
}

const lease: LeasePolicy = { leaseMs: 10_000, maxSessionMs: 60_000 };
const roomy: AdmitLimits = { ...lease, admitPerSecond: 1000, maxActive: 1000 };
const T0 = 1_800_000_000_000;
/** salesOpenAt of a sale open long ago, and of one not open yet (whichever clock the queue reads). */
const OPENED = 0;
const NOT_YET = Number.MAX_SAFE_INTEGER;

/** One contract for every AdmissionQueue adapter, so that Redis and in-process cannot drift apart. */
export function admissionQueueContract(name: string, setup: (context: Mocha.Context) => Promise<QueueFixture>): void {
  describe(`the admission queue contract (${name})`, () => {
    let fixture: QueueFixture;
    let queue: AdmissionQueue;
    let show: string;

    beforeEach(async function () {
      fixture = await setup(this);
      queue = fixture.queue;
      show = uniqueName('show');
    });
    afterEach(async () => fixture?.close?.());

    const joinAll = async (members: string[], now = T0, salesOpenAt = OPENED) => {
      for (const member of members) await queue.join(show, member, now, salesOpenAt, lease);
    };
    const admitAll = async (now: number, limits = roomy) => (await queue.admit(show, now, limits)).admitted.map((a) => a.memberId);

    it('when members join, then each is told how many are ahead, in join order', async () => {
      await joinAll(['a', 'b']);
      const place = await queue.join(show, 'c', T0, OPENED, lease);
      expect(place).to.deep.equal({ state: 'waiting', preQueue: false, ticket: 3, ahead: 2 });
    });

    it('when many members ask at the same moment, then each is told their own place', async () => {
      await joinAll(['a', 'b', 'c', 'd']);
      await queue.admit(show, T0 + 1000, { ...roomy, maxActive: 1 });
      const asks = ['c', 'a', 'x', 'd', 'b'].map((member) => queue.status(show, member, T0 + 1000, lease));
      expect(await Promise.all(asks)).to.deep.equal([
        { state: 'waiting', preQueue: false, ticket: 3, ahead: 1 },
        { state: 'admitted', leaseExpiresAt: T0 + 11_000 },
        { state: 'absent' },
        { state: 'waiting', preQueue: false, ticket: 4, ahead: 2 },
        { state: 'waiting', preQueue: false, ticket: 2, ahead: 0 },
      ]);
    });

    it('when the places of many members are asked in one step, then each answer is theirs, in order', async () => {
      await joinAll(['a', 'b', 'c', 'd']);
      await queue.admit(show, T0 + 1000, { ...roomy, maxActive: 1 });
      expect(await queue.statuses(show, ['c', 'a', 'x', 'b'], T0 + 1000, lease)).to.deep.equal([
        { state: 'waiting', preQueue: false, ticket: 3, ahead: 1 },
        { state: 'admitted', leaseExpiresAt: T0 + 11_000 },
        { state: 'absent' },
        { state: 'waiting', preQueue: false, ticket: 2, ahead: 0 },
      ]);
    });

    it('when over a thousand members ask at once, then every answer is theirs', async () => {
      const members = Array.from({ length: 1_200 }, (_, i) => `m${i}`);
      await joinAll(members);
      const places = await Promise.all(members.map((member) => queue.status(show, member, T0, lease)));
      expect(places.map((place) => (place.state === 'waiting' ? place.ahead : -1))).to.deep.equal(members.map((_, i) => i));
    });

    it("when a process glances at the show, then every waiting place computed from it equals the member's own status", async () => {
      expect(await queue.glance(show, 10)).to.deep.include({ phase: 'absent', served: 0, leavers: [] });
      const members = Array.from({ length: 8 }, (_, i) => `m${i}`);
      await joinAll(members);
      await queue.admit(show, T0 + 1000, { ...roomy, maxActive: 2 });
      await queue.leave(show, 'm3');
      await queue.leave(show, 'm5');
      const view = await queue.glance(show, 7);
      expect(view).to.deep.equal({ phase: 'open', reason: 'closed', served: 2, leavers: [4, 6] });
      for (const member of members) {
        const place = await queue.status(show, member, T0 + 1000, lease);
        const ticket = Number(member.slice(1)) + 1;
        const computed = aheadAt(ticket, view);
        if (place.state === 'waiting') expect(computed, member).to.equal(place.ahead);
        else expect(computed, member).to.equal(undefined);
      }
      await queue.close(show, 'sold_out', T0 + 2000);
      expect(await queue.glance(show, 7)).to.deep.include({ phase: 'closed', reason: 'sold_out' });
    });

    it('when a member joins twice, then they keep their place', async () => {
      await joinAll(['a', 'b', 'c']);
      const again = await queue.join(show, 'a', T0 + 5000, OPENED, lease);
      expect(again).to.include({ state: 'waiting', ahead: 0, ticket: 1 });
      expect((await queue.stats(show)).waiting).to.equal(3);
    });

    it('when the admitter runs, then members are admitted in join order and none twice', async () => {
      const members = Array.from({ length: 30 }, (_, i) => `m${i}`);
      await joinAll(members);
      const limits = { ...roomy, admitPerSecond: 10 };
      const admitted: string[] = [];
      for (let tick = 1; tick <= 10; tick++) admitted.push(...(await admitAll(T0 + tick * 1000, limits)));
      expect(admitted).to.deep.equal(members);
      expect(new Set(admitted).size).to.equal(admitted.length);
      const again = await queue.join(show, 'm0', T0 + 10_500, OPENED, lease);
      expect(again.state).to.equal('admitted');
      expect((await queue.stats(show)).admittedTotal).to.equal(30);
    });

    it('when members join an empty open line with its pace, then those within rate and room are admitted by the join itself, recorded in the outbox', async () => {
      const pace = { admitPerSecond: 2, maxActive: 1000 };
      await queue.join(show, 'first', T0, OPENED, lease);
      await queue.leave(show, 'first');
      const places = await Promise.all(['a', 'b', 'c'].map((member) => queue.join(show, member, T0 + 1000, OPENED, lease, pace)));
      const last = await queue.join(show, 'd', T0 + 1000, OPENED, lease, pace);
      expect([...places, last]).to.deep.equal([
        { state: 'admitted', leaseExpiresAt: T0 + 11_000 },
        { state: 'admitted', leaseExpiresAt: T0 + 11_000 },
        { state: 'waiting', preQueue: false, ticket: 4, ahead: 0 },
        { state: 'waiting', preQueue: false, ticket: 5, ahead: 1 },
      ]);
      expect((await queue.pendingBatches(show, 10)).flatMap((batch) => batch.memberIds)).to.deep.equal(['a', 'b']);
    });

    it('when ETA errors are noted, then the stats carry their running sum and number (for every process)', async () => {
      expect(await queue.stats(show)).to.deep.include({ etaErrorSumSeconds: 0, etaErrorCount: 0 });
      await queue.noteEtaErrors(show, [2.5, -1]);
      await queue.noteEtaErrors(show, []);
      await queue.noteEtaErrors(show, [4]);
      expect(await queue.stats(show)).to.deep.include({ etaErrorSumSeconds: 5.5, etaErrorCount: 3 });
    });

    it('when one second passes, then no more than admitPerSecond are admitted', async () => {
      await joinAll(Array.from({ length: 20 }, (_, i) => `m${i}`));
      const limits = { ...roomy, admitPerSecond: 4 };
      expect(await admitAll(T0 + 1000, limits)).to.have.length(4);
      expect(await admitAll(T0 + 1000, limits)).to.have.length(0);
      expect(await admitAll(T0 + 1500, limits)).to.have.length(2);
    });

    it('when capacity is full, then nobody else is admitted until a place is released', async () => {
      await joinAll(['a', 'b', 'c']);
      const limits = { ...roomy, maxActive: 2 };
      expect(await admitAll(T0 + 1000, limits)).to.deep.equal(['a', 'b']);
      expect(await admitAll(T0 + 2000, limits)).to.deep.equal([]);
      expect(await queue.release(show, 'a')).to.equal(true);
      expect(await admitAll(T0 + 3000, limits)).to.deep.equal(['c']);
      expect((await queue.stats(show)).active).to.equal(2);
    });

    it('when a hold of an earlier admission ends, then a later admission of the same member stands; one of the current admission ends it', async () => {
      await joinAll(['a', 'b']);
      const limits = { ...roomy, maxActive: 1 };
      expect(await admitAll(T0 + 1000, limits)).to.deep.equal(['a']);
      const first = (await queue.renew(show, 'a', T0 + 1500, lease))!;
      expect(first).to.deep.equal({ expiresAt: T0 + 11_500, admittedAt: T0 + 1000 });
      // a confirms one hold (its admission ends), comes back through the queue and is admitted again
      expect(await queue.release(show, 'a', first.admittedAt)).to.equal(true);
      expect(await admitAll(T0 + 2000, limits)).to.deep.equal(['b']);
      await queue.join(show, 'a', T0 + 2500, OPENED, lease);
      expect(await queue.release(show, 'b', T0 + 2000)).to.equal(true);
      expect(await admitAll(T0 + 3000, limits)).to.deep.equal(['a']);
      // another hold of the first admission ends: the second stands, and still counts against maxActive
      expect(await queue.release(show, 'a', first.admittedAt)).to.equal(false);
      expect(await queue.renew(show, 'a', T0 + 3500, lease)).to.deep.equal({ expiresAt: T0 + 13_500, admittedAt: T0 + 3000 });
      expect((await queue.stats(show)).active).to.equal(1);
      await joinAll(['c'], T0 + 3600);
      expect(await admitAll(T0 + 4000, limits)).to.deep.equal([]);
      // a hold of the second admission ends it, and the place goes on
      expect(await queue.release(show, 'a', T0 + 3000)).to.equal(true);
      expect(await queue.renew(show, 'a', T0 + 4000, lease)).to.equal(undefined);
      expect(await queue.release(show, 'a', T0 + 3000)).to.equal(false);
      expect(await admitAll(T0 + 5000, limits)).to.deep.equal(['c']);
    });

    it('when a waiting member leaves, then those behind move up and the admitter skips the place', async () => {
      await joinAll(['a', 'b', 'c', 'd']);
      expect(await queue.leave(show, 'b')).to.equal(true);
      expect(await queue.status(show, 'd', T0, lease)).to.include({ ahead: 2 });
      expect(await queue.status(show, 'b', T0, lease)).to.deep.equal({ state: 'absent' });
      expect(await admitAll(T0 + 1000, { ...roomy, maxActive: 2 })).to.deep.equal(['a', 'c']);
      expect(await queue.status(show, 'd', T0 + 1000, lease)).to.include({ ahead: 0 });
      expect(await queue.leave(show, 'b')).to.equal(false);
    });

    it('when an admitted member polls, then the lease is renewed; when silent, it expires and the place goes back', async () => {
      await joinAll(['a', 'b', 'c']);
      const limits = { ...roomy, maxActive: 2, leaseMs: 10_000 };
      expect(await admitAll(T0 + 1000, limits)).to.deep.equal(['a', 'b']);
      const renewed = await queue.status(show, 'a', T0 + 8000, lease);
      expect(renewed).to.deep.equal({ state: 'admitted', leaseExpiresAt: T0 + 18_000 });
      const tick = await queue.admit(show, T0 + 12_000, limits);
      expect(tick.expired).to.equal(1);
      expect(tick.admitted.map((a) => a.memberId)).to.deep.equal(['c']);
      expect(await queue.status(show, 'b', T0 + 12_000, lease)).to.deep.equal({ state: 'absent' });
      expect(await queue.renew(show, 'a', T0 + 12_000, lease)).to.deep.equal({ expiresAt: T0 + 22_000, admittedAt: T0 + 1000 });
      expect((await queue.stats(show)).abandonedTotal).to.equal(1);
    });

    // every adapter is also the AdmissionLeases port (when the places taken end)
    const leaseEnds = () => (queue as unknown as AdmissionLeases).leaseEnds(show, 10);

    it('when admitted with a short first lease, then nobody seen loses the place after it, and the one seen keeps the full lease', async () => {
      await joinAll(['a', 'b', 'c', 'd']);
      const limits = { ...roomy, maxActive: 2, firstLeaseMs: 3000 };
      expect(await admitAll(T0 + 1000, limits)).to.deep.equal(['a', 'b']);
      expect(await leaseEnds()).to.deep.equal([T0 + 4000, T0 + 4000]);
      // a seen at once (its stream told it): a full lease from then
      expect(await queue.statuses(show, ['a'], T0 + 1200, lease)).to.deep.equal([{ state: 'admitted', leaseExpiresAt: T0 + 11_200 }]);
      expect(await admitAll(T0 + 3999, limits)).to.deep.equal([]);
      const tick = await queue.admit(show, T0 + 4000, limits);
      expect({ expired: tick.expired, admitted: tick.admitted.map((m) => m.memberId) }).to.deep.equal({ expired: 1, admitted: ['c'] });
      expect(await queue.renew(show, 'b', T0 + 4000, lease)).to.equal(undefined);
      expect(await queue.renew(show, 'a', T0 + 11_000, lease)).to.deep.equal({ expiresAt: T0 + 21_000, admittedAt: T0 + 1000 });
      expect(await leaseEnds()).to.deep.equal([T0 + 7000, T0 + 21_000]);
    });

    it('when a lease is renewed forever, then it still ends at the session limit', async () => {
      await joinAll(['a']);
      await admitAll(T0 + 1000);
      for (let at = T0 + 9000; at < T0 + 55_000; at += 9000) await queue.renew(show, 'a', at, lease);
      expect(await queue.renew(show, 'a', T0 + 55_000, lease)).to.deep.equal({ expiresAt: T0 + 61_000, admittedAt: T0 + 1000 });
      expect(await queue.renew(show, 'a', T0 + 61_000, lease)).to.equal(undefined);
    });

    it('when sales open, then the pre-queue goes in the drawn order, ahead of later arrivals', async () => {
      await joinAll(['p1', 'p2', 'p3', 'p4'], T0, NOT_YET);
      expect(await queue.status(show, 'p2', T0, lease)).to.deep.equal({ state: 'waiting', preQueue: true, ticket: 0, ahead: null });
      await queue.leave(show, 'p3');
      await queue.join(show, 'p1', T0, OPENED, lease);
      const frozen = await queue.freeze(show);
      expect(frozen).to.deep.equal(['p1', 'p2', 'p3', 'p4']);
      expect(await queue.freeze(show)).to.deep.equal(frozen);
      const late = await queue.join(show, 'late', T0 + 100, OPENED, lease);
      expect(late).to.include({ ticket: 5 });
      await queue.applyDraw(show, ['p4', 'p3', 'p1', 'p2'], T0 + 200);
      await queue.applyDraw(show, ['p4', 'p3', 'p1', 'p2'], T0 + 200);
      expect(await queue.status(show, 'p2', T0 + 200, lease)).to.include({ ticket: 4, ahead: 2 });
      expect(await admitAll(T0 + 5000, { ...roomy, admitPerSecond: 100 })).to.deep.equal(['p4', 'p1', 'p2', 'late']);
      expect(await queue.freeze(show)).to.equal(undefined);
    });

    it('when the pre-queue is still drawing, then nobody is admitted', async () => {
      await joinAll(['p1'], T0, NOT_YET);
      await queue.freeze(show);
      const tick = await queue.admit(show, T0 + 5000, roomy);
      expect(tick).to.include({ phase: 'drawing' });
      expect(tick.admitted).to.deep.equal([]);
    });

    it('when the show is closed as sold out, then everyone is told so and nobody is admitted; reopening keeps places', async () => {
      await joinAll(['a', 'b']);
      await queue.close(show, 'sold_out', T0);
      expect(await queue.status(show, 'b', T0, lease)).to.deep.equal({ state: 'closed', reason: 'sold_out' });
      expect(await queue.join(show, 'z', T0, OPENED, lease)).to.deep.equal({ state: 'closed', reason: 'sold_out' });
      expect((await queue.admit(show, T0 + 5000, roomy)).admitted).to.deep.equal([]);
      expect(await queue.reopen(show, T0 + 4000, 5000)).to.equal(false);
      expect(await queue.reopen(show, T0 + 6000, 5000)).to.equal(true);
      expect(await queue.status(show, 'b', T0 + 6000, lease)).to.include({ state: 'waiting', ahead: 1 });
      expect(await admitAll(T0 + 8000)).to.deep.equal(['a', 'b']);
    });

    it('when members are admitted, then the batches wait in the outbox until acknowledged', async () => {
      await joinAll(['a', 'b', 'c']);
      await admitAll(T0 + 1000, { ...roomy, maxActive: 2 });
      await queue.release(show, 'a');
      await admitAll(T0 + 2000);
      const batches = await queue.pendingBatches(show, 10);
      expect(batches).to.deep.equal([
        { seq: 1, admittedAt: T0 + 1000, memberIds: ['a', 'b'] },
        { seq: 2, admittedAt: T0 + 2000, memberIds: ['c'] },
      ]);
      await queue.ackBatches(show, 1);
      expect((await queue.pendingBatches(show, 10)).map((b) => b.seq)).to.deep.equal([2]);
    });

    it('when the record already holds a batch number (a failover rolled the counter back), then the pending batches from it on are numbered above the record, once', async () => {
      await joinAll(['a', 'b', 'c']);
      await admitAll(T0 + 1000, { ...roomy, maxActive: 1 });
      await queue.release(show, 'a');
      await admitAll(T0 + 2000, { ...roomy, maxActive: 1 });
      await queue.release(show, 'b');
      await admitAll(T0 + 3000, { ...roomy, maxActive: 1 });
      await queue.ackBatches(show, 1);
      // the record holds numbers up to 5: batches 2 and 3 are numbered 6 and 7, in order
      expect(await queue.renumberBatches(show, 2, 5)).to.equal(2);
      expect(await queue.pendingBatches(show, 10)).to.deep.equal([
        { seq: 6, admittedAt: T0 + 2000, memberIds: ['b'] },
        { seq: 7, admittedAt: T0 + 3000, memberIds: ['c'] },
      ]);
      // another process asking the same finds it done
      expect(await queue.renumberBatches(show, 2, 5)).to.equal(0);
      await queue.release(show, 'c');
      await joinAll(['d'], T0 + 3500);
      await admitAll(T0 + 4000, { ...roomy, maxActive: 1 });
      expect(
        (await queue.pendingBatches(show, 10)).map((b) => b.seq),
        'the counter goes on above',
      ).to.deep.equal([6, 7, 8]);
    });

    it('when an admission is reported, then it carries when the member joined and how many were ahead', async () => {
      await joinAll(['a'], T0);
      await joinAll(['b'], T0 + 300);
      const tick = await queue.admit(show, T0 + 1000, roomy);
      expect(tick.admitted).to.deep.equal([
        { memberId: 'a', joinedAt: T0, aheadAtJoin: 0 },
        { memberId: 'b', joinedAt: T0 + 300, aheadAtJoin: 1 },
      ]);
    });

    it('when a show is tracked, then the admitter finds it until untracked', async () => {
      await queue.track(show);
      expect(await queue.shows()).to.include(show);
      await queue.untrack(show);
      expect(await queue.shows()).not.to.include(show);
    });
  });
}
