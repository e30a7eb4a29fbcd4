import { expect } from 'chai';
import { mock } from 'node:test';
import { QueuePlaces } from '../../../src/application/admission/queue-places.js';
import { positionsPerWorker, QueueWatch, type PlaceListener } from '../../../src/application/admission/queue-watch.js';
import type { AdmissionQueue, AdmitLimits, LeasePolicy, MemberPlace } from '../../../src/application/ports/admission-queue.js';
import { InProcessAdmissionQueue } from '../../../src/infrastructure/admission/memory-admission-queue.js';
import { LocalBroadcast } from '../../../src/infrastructure/broadcast.js';
import { systemClock } from '../../../src/infrastructure/system-clock.js';
import type { Admissions } from '../../../src/application/ports/admission-news.js';
import type { QueueGlance } from '../../../src/domain/admission/queue-glance.js';

const lease: LeasePolicy = { leaseMs: 10_000, maxSessionMs: 60_000 };
const oneAtATime: AdmitLimits = { ...lease, admitPerSecond: 1000, maxActive: 1 };
const show = 'show-1';

/** The embedded queue, counting the batched look-ups the watch makes. */
class CountingQueue extends InProcessAdmissionQueue {
  lookUps: string[][] = [];
  glances = 0;
  failing: Error | undefined;
  override async glance(showId: string, upTo: number): Promise<QueueGlance> {
    this.glances++;
    if (this.failing) throw this.failing;
    return super.glance(showId, upTo);
  }
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

  it('when many members wait and nothing changes, then each tick is one glance at the show and no look-up of any member', async () => {
    // a fake clock: the count of ticks is the test's own, not the machine's timing
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    try {
      const watch = watchWith(20);
      const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
      const places = await Promise.all(members.map(join));
      let settledCount = 0;
      const answers = members.map((member, i) =>
        watch.until(show, member, places[i]!, { waitMs: 120 }).then((place) => {
          settledCount++;
          return place;
        }),
      );
      let ticks = 0;
      while (settledCount < members.length && ticks < 100) {
        mock.timers.tick(20);
        ticks++;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const settled = await Promise.all(answers);
      expect(settled.map((place) => place.state === 'waiting' && place.ahead)).to.deep.equal(members.map((_, i) => i));
      // the waits end at the tick that reaches their 120 ms: six ticks of 20 ms, one glance each
      expect(ticks).to.equal(6);
      expect(queue.glances).to.equal(ticks);
      expect(queue.lookUps).to.deep.equal([]);
    } finally {
      mock.timers.reset();
    }
  });

  it("when plain polls share the watch's show, then the watch's tick glance answers them as far as it reaches", async () => {
    const places = new QueuePlaces(queue as AdmissionQueue, 1000, news);
    const watch = new QueueWatch(queue as AdmissionQueue, lease, 20, systemClock, news, { places });
    watches.push(watch);
    const [a, b] = [await join('a'), await join('b')];
    places.remember(show, 'a', a, Date.now());
    places.remember(show, 'b', b, Date.now());
    await watch.until(show, 'a', a, { waitMs: 100 });
    const glances = queue.glances;
    expect(glances).to.be.at.least(1);
    expect((await places.place(show, 'a', Date.now()))?.place).to.deep.include({ state: 'waiting', ahead: 0 });
    expect(queue.glances).to.equal(glances);
    // b's ticket is beyond the last one the watch glanced up to: a glance of its own
    expect((await places.place(show, 'b', Date.now()))?.place).to.deep.include({ state: 'waiting', ahead: 1 });
    expect(queue.glances).to.equal(glances + 1);
  });

  it('when the line moves, then positions come from the glance; only a member passed by the served counter is looked up', async () => {
    const watch = watchWith(20);
    const places = [await join('a'), await join('b'), await join('c')];
    const b = watch.until(show, 'b', places[1]!, { waitMs: 5000 });
    const c = watch.until(show, 'c', places[2]!, { waitMs: 200 });
    await queue.admit(show, Date.now() + 1000, { ...lease, admitPerSecond: 1000, maxActive: 2 });
    expect(await b).to.include({ state: 'admitted' });
    expect(await c).to.deep.include({ state: 'waiting', ahead: 0 });
    expect(queue.lookUps).to.deep.equal([['b']]);
  });

  /** a admitted and gone, b admitted by `admitted` ms ago with a first lease of `firstLeaseMs`: the news is b's. */
  const admittedAgo = async (watch: QueueWatch, ago: number, firstLeaseMs: number) => {
    const at = Date.now();
    await queue.join(show, 'a', at - 5000, 0, lease);
    const waiting = await queue.join(show, 'b', at - 5000, 0, lease);
    await queue.admit(show, at - 3000, oneAtATime);
    const answer = watch.until(show, 'b', waiting, { waitMs: 30_000 });
    await queue.release(show, 'a');
    const admitted = await queue.admit(show, at - ago, { ...oneAtATime, firstLeaseMs });
    expect(admitted.admitted.map((member) => member.memberId)).to.deep.equal(['b']);
    news.announce({ showId: show, memberIds: ['b', 'someone-watched-elsewhere'], leaseExpiresAt: at - ago + firstLeaseMs });
    return answer;
  };

  it('when the news says a member was admitted, then their wait ends at once, with one look-up that makes the first lease a full one', async () => {
    const watch = watchWith(60_000);
    const started = Date.now();
    const place = await admittedAgo(watch, 2500, 5000);
    expect(place.state).to.equal('admitted');
    // the watch's policy: a full lease (10 s) from the look-up, not the first lease (2.5 s from now)
    expect(place.state === 'admitted' && place.leaseExpiresAt).to.be.within(Date.now() + 9000, Date.now() + 10_000);
    expect(Date.now() - started).to.be.below(1000);
    expect(queue.lookUps).to.deep.equal([['b']]);
  });

  it('when the news comes after the first lease ran out, then the member is not told they are admitted', async () => {
    const watch = watchWith(60_000);
    expect(await admittedAgo(watch, 2500, 2000)).to.deep.equal({ state: 'absent' });
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

/** A listener that keeps what it is told. */
class Heard implements PlaceListener {
  places: MemberPlace[] = [];
  failures: unknown[] = [];
  drains = 0;
  place(place: MemberPlace): void {
    this.places.push(place);
  }
  failed(error: unknown): void {
    this.failures.push(error);
  }
  drained(): void {
    this.drains++;
  }
}

describe('the queue watch (event streams)', () => {
  let queue: CountingQueue;
  let news: LocalBroadcast<Admissions>;
  const watches: QueueWatch[] = [];
  const watchWith = (periodMs: number, positionsPerSecond?: number) => {
    const watch = new QueueWatch(queue as AdmissionQueue, lease, periodMs, systemClock, news, { positionsPerSecond, renewMs: 100 });
    watches.push(watch);
    return watch;
  };
  const join = (member: string) => queue.join(show, member, Date.now(), 0, lease);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeEach(() => {
    queue = new CountingQueue();
    news = new LocalBroadcast();
  });
  afterEach(() => watches.splice(0).forEach((watch) => watch.drain()));

  it('when the news says a listener was admitted, then it is looked up and told at once, and later ticks renew its lease by a look-up', async () => {
    const watch = watchWith(20);
    await join('a');
    const waiting = await join('b');
    const heard = new Heard();
    watch.follow(show, 'b', waiting, heard);
    await queue.admit(show, Date.now() + 1000, oneAtATime);
    await queue.release(show, 'a');
    const admitted = await queue.admit(show, Date.now() + 2000, oneAtATime);
    news.announce({ showId: show, memberIds: admitted.admitted.map((m) => m.memberId), leaseExpiresAt: 123 });
    await sleep(5);
    expect(heard.places.at(-1)).to.include({ state: 'admitted' });
    expect(queue.lookUps[0]).to.deep.equal(['b']);
    await sleep(300);
    expect(queue.lookUps.flat().filter((m) => m === 'b').length).to.be.greaterThan(0);
  });

  it('when positions change, then a listener is told at most once per spacing, and the spacing grows with the listeners', async () => {
    const watch = watchWith(20, 2);
    const members = ['a', 'b', 'c', 'd'];
    const places = await Promise.all(members.map(join));
    const heard = members.map(() => new Heard());
    members.forEach((m, i) => watch.follow(show, m, places[i]!, heard[i]!));
    // 4 listeners, 2 position events a second in all: each is told every 2 s
    expect(watch.spacingMs()).to.equal(2000);
    await sleep(600);
    expect(heard.every((h) => h.places.length === 0)).to.equal(true);
  });

  it("when a server has several web workers, then they share its position events, and a worker's spacing grows with its share", async () => {
    expect([1, 2, 7].map(positionsPerWorker)).to.deep.equal([2000, 1000, 286]);
    const watch = watchWith(20, positionsPerWorker(1000));
    const members = ['a', 'b', 'c', 'd'];
    const places = await Promise.all(members.map(join));
    members.forEach((m, i) => watch.follow(show, m, places[i]!, new Heard()));
    // 2 position events a second for this worker: 4 listeners are told every 2 s each
    expect(watch.spacingMs()).to.equal(2000);
  });

  it('when the queue closes, then every listener is told and let go', async () => {
    const watch = watchWith(20);
    const heard = new Heard();
    watch.follow(show, 'a', await join('a'), heard);
    await queue.close(show, 'sold_out', Date.now());
    await sleep(100);
    expect(heard.places).to.deep.equal([{ state: 'closed', reason: 'sold_out' }]);
    expect(queue.lookUps).to.deep.equal([]);
  });

  it('when a listener leaves the queue on another connection, then it is looked up and told it is gone', async () => {
    const watch = watchWith(20);
    await join('a');
    const heard = new Heard();
    watch.follow(show, 'b', await join('b'), heard);
    await queue.leave(show, 'b');
    await sleep(100);
    expect(heard.places).to.deep.equal([{ state: 'absent' }]);
  });

  it('when the glance fails, then listeners hear the failure; when the server drains, they are ended', async () => {
    const watch = watchWith(20);
    const failing = new Heard();
    watch.follow(show, 'a', await join('a'), failing);
    queue.failing = new Error('queue store down');
    await sleep(100);
    expect((failing.failures[0] as Error).message).to.equal('queue store down');
    queue.failing = undefined;
    const draining = new Heard();
    watch.follow(show, 'b', await join('b'), draining);
    watch.drain();
    expect(draining.drains).to.equal(1);
  });
});
