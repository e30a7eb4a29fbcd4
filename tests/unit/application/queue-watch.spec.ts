import { expect } from 'chai';
import { QueueWatch } from '../../../src/application/admission/queue-watch.js';
import type { AdmissionQueue, AdmitLimits, LeasePolicy, MemberPlace } from '../../../src/application/ports/admission-queue.js';
import { InProcessAdmissionQueue } from '../../../src/infrastructure/admission/memory-admission-queue.js';
import { LocalBroadcast } from '../../../src/infrastructure/broadcast.js';
import { systemClock } from '../../../src/infrastructure/system-clock.js';
import type { Admissions } from '../../../src/application/ports/admission-news.js';

const lease: LeasePolicy = { leaseMs: 10_000, maxSessionMs: 60_000 };
const oneAtATime: AdmitLimits = { ...lease, admitPerSecond: 1000, maxActive: 1 };
const show = 'show-1';

/** The embedded queue, counting the batched look-ups the watch makes. */
class CountingQueue extends InProcessAdmissionQueue {
  lookUps: string[][] = [];
  failing: Error | undefined;
  override async statuses(showId: string, memberIds: string[], now: number, policy: LeasePolicy): Promise<MemberPlace[]> {
    this.lookUps.push(memberIds);
    if (this.failing) throw this.failing;
    return super.statuses(showId, memberIds, now, policy);
  }
}

describe('the queue watch (long polls)', () => {
  let queue: CountingQueue;
  let news: LocalBroadcast<Admissions>;
  const watches: QueueWatch[] = [];
  const watchWith = (periodMs: number) => {
    const watch = new QueueWatch(queue as AdmissionQueue, lease, periodMs, systemClock, news);
    watches.push(watch);
    return watch;
  };
  const join = (member: string) => queue.join(show, member, Date.now(), 0, lease);

  beforeEach(() => {
    queue = new CountingQueue();
    news = new LocalBroadcast();
  });
  afterEach(() => watches.splice(0).forEach((watch) => watch.drain()));

  it('when a waiting member is admitted, then their wait ends at the next tick with the admission', async () => {
    const watch = watchWith(20);
    await join('a');
    const waiting = await join('b');
    await queue.admit(show, Date.now() + 1000, oneAtATime);
    const answer = watch.until(show, 'b', waiting, { waitMs: 5000 });
    await queue.release(show, 'a');
    // a second later: the rate's token bucket has refilled
    await queue.admit(show, Date.now() + 2000, oneAtATime);
    expect(await answer).to.include({ state: 'admitted' });
  });

  it('when many members wait, then each tick looks all of them up in one call', async () => {
    const watch = watchWith(20);
    const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
    const places = await Promise.all(members.map(join));
    const answers = members.map((member, i) => watch.until(show, member, places[i]!, { waitMs: 120 }));
    const settled = await Promise.all(answers);
    expect(settled.every((place) => place.state === 'waiting')).to.equal(true);
    expect(queue.lookUps.length).to.be.within(2, 8);
    expect(queue.lookUps.every((ids) => ids.length === members.length)).to.equal(true);
  });

  it('when the news says a member was admitted, then their wait ends at once, without a look-up', async () => {
    const watch = watchWith(60_000);
    await join('a');
    const waiting = await join('b');
    await queue.admit(show, Date.now() + 1000, oneAtATime);
    const started = Date.now();
    const answer = watch.until(show, 'b', waiting, { waitMs: 30_000 });
    await queue.release(show, 'a');
    const admitted = await queue.admit(show, Date.now() + 2000, oneAtATime);
    expect(admitted.admitted.map((member) => member.memberId)).to.deep.equal(['b']);
    news.announce({ showId: show, memberIds: admitted.admitted.map((member) => member.memberId), leaseExpiresAt: 123 });
    expect(await answer).to.deep.equal({ state: 'admitted', leaseExpiresAt: 123 });
    expect(Date.now() - started).to.be.below(1000);
    expect(queue.lookUps).to.deep.equal([]);
  });

  it('when the wait runs out, then the member is told where they stand', async () => {
    const watch = watchWith(20);
    await join('a');
    const waiting = await join('b');
    const started = Date.now();
    const answer = await watch.until(show, 'b', waiting, { waitMs: 100 });
    expect(answer).to.deep.include({ state: 'waiting', ahead: 1 });
    expect(Date.now() - started).to.be.within(60, 1000);
  });

  it('when the client goes away or the server drains, then the wait ends at once', async () => {
    const watch = watchWith(60_000);
    const waiting = await join('a');
    const gone = new AbortController();
    const aborted = watch.until(show, 'a', waiting, { waitMs: 30_000, signal: gone.signal });
    const drained = watch.until(show, 'a', waiting, { waitMs: 30_000 });
    gone.abort();
    expect(await aborted).to.equal(waiting);
    watch.drain();
    expect(await drained).to.equal(waiting);
    expect(await watch.until(show, 'a', waiting, { waitMs: 30_000 })).to.equal(waiting);
    expect(queue.lookUps).to.deep.equal([]);
  });

  it('when the member is not waiting, then there is nothing to wait for', async () => {
    const watch = watchWith(20);
    const closed: MemberPlace = { state: 'closed', reason: 'sold_out' };
    expect(await watch.until(show, 'a', closed, { waitMs: 30_000 })).to.equal(closed);
  });

  it('when the look-up fails, then the wait fails with its error', async () => {
    const watch = watchWith(20);
    const waiting = await join('a');
    queue.failing = new Error('queue store down');
    const failure = await watch.until(show, 'a', waiting, { waitMs: 5000 }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).to.equal('queue store down');
  });
});
