import { expect } from 'chai';
import { Redis } from 'ioredis';
import { QueuePlaces } from '../../../src/application/admission/queue-places.js';
import type { Admissions } from '../../../src/application/ports/admission-news.js';
import type { AdmitLimits, LeasePolicy, MemberPlace, QueueGlance } from '../../../src/application/ports/admission-queue.js';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { LocalBroadcast } from '../../../src/infrastructure/broadcast.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

const lease: LeasePolicy = { leaseMs: 10_000, maxSessionMs: 60_000 };
const PERIOD = 250;
const show = 'show-1';

/** One process's connection to the shared queue, counting what it asks. */
class CountingQueue extends RedisAdmissionQueue {
  glances = 0;
  override async glance(showId: string, upTo: number): Promise<QueueGlance> {
    this.glances++;
    return super.glance(showId, upTo);
  }
}

/** A process: its own connection, its own places, its own news. */
interface Process {
  queue: CountingQueue;
  places: QueuePlaces;
  news: LocalBroadcast<Admissions>;
  /** What a poll here answers: the places when they can tell, else the queue (and the places remember it). */
  poll(memberId: string, now: number): Promise<MemberPlace>;
  join(memberId: string, now: number): Promise<MemberPlace>;
}

describe('waiting members placed by the process that knows them (QueuePlaces on Redis, two processes)', () => {
  const connections: Redis[] = [];
  let a: Process;
  let b: Process;
  let t0: number;

  const process = (prefix: string, options?: { verifyMs?: number }): Process => {
    const redis = new Redis(TEST_REDIS_URL);
    connections.push(redis);
    const queue = new CountingQueue(redis, prefix);
    const news = new LocalBroadcast<Admissions>();
    const places = new QueuePlaces(queue, PERIOD, news, options);
    return {
      queue,
      places,
      news,
      poll: async (memberId, now) => {
        const told = await places.place(show, memberId, now);
        if (told) return told.place;
        const place = await queue.status(show, memberId, now, lease);
        places.remember(show, memberId, place, now);
        return place;
      },
      join: async (memberId, now) => {
        const place = await queue.join(show, memberId, now, 0, lease);
        places.remember(show, memberId, place, now);
        return place;
      },
    };
  };
  /** What the process's places tell of the member (undefined: ask the queue). */
  const placed = async (at: Process, memberId: string, now: number) => (await at.places.place(show, memberId, now))?.place;
  const admitOne = (now: number) => a.queue.admit(show, now, { ...lease, admitPerSecond: 1000, maxActive: 100 } satisfies AdmitLimits);

  beforeEach(async function () {
    await requireService(this, 'redis');
    const prefix = uniqueName('test:places');
    a = process(prefix);
    b = process(prefix);
    t0 = Date.now();
  });
  afterEach(() => connections.splice(0).forEach((redis) => redis.disconnect()));

  it('when members who joined here poll, then one glance a period places them all, as the queue would', async () => {
    for (const member of ['m1', 'm2', 'm3', 'm4']) await a.join(member, t0);
    const glancesBefore = a.queue.glances;
    const answers = await Promise.all(['m1', 'm2', 'm3', 'm4'].map((member) => placed(a, member, t0 + 1)));
    expect(answers.map((place) => place?.state === 'waiting' && place.ahead)).to.deep.equal([0, 1, 2, 3]);
    expect(await placed(a, 'm4', t0 + PERIOD - 1)).to.deep.include({ ahead: 3 });
    expect(a.queue.glances - glancesBefore).to.equal(1);
    const truth = await a.queue.statuses(show, ['m1', 'm2', 'm3', 'm4'], t0 + 2, lease);
    expect(answers).to.deep.equal(truth);
  });

  it('when a member is admitted, then within a period the places stop answering and the queue says admitted', async () => {
    await a.join('m1', t0);
    await a.join('m2', t0);
    expect(await a.poll('m1', t0 + 1)).to.deep.include({ state: 'waiting', ahead: 0 });
    const { admitted } = await admitOne(t0 + 2);
    expect(admitted.map((m) => m.memberId)).to.include('m1');
    // the glance taken before the admission may still be told for the rest of its period, never longer
    expect(await placed(a, 'm1', t0 + 1 + PERIOD)).to.equal(undefined);
    expect(await a.poll('m1', t0 + 1 + PERIOD)).to.deep.include({ state: 'admitted' });
    // and once admitted, never from the places again (the poll renews the lease in the queue)
    expect(await placed(a, 'm1', t0 + 2 + PERIOD)).to.equal(undefined);
  });

  it('when the admitter announces an admission, then the places forget the member at once', async () => {
    await a.join('m1', t0);
    expect(await placed(a, 'm1', t0 + 1)).to.deep.include({ state: 'waiting' });
    a.news.announce({ showId: show, memberIds: ['m1'], leaseExpiresAt: t0 + lease.leaseMs });
    expect(await placed(a, 'm1', t0 + 2)).to.equal(undefined);
  });

  it('when a member this process does not know polls, then the queue answers (and the next poll is placed here)', async () => {
    await b.join('m1', t0);
    await b.join('m2', t0);
    const glancesBefore = a.queue.glances;
    expect(await placed(a, 'm2', t0 + 1)).to.equal(undefined);
    expect(a.queue.glances).to.equal(glancesBefore);
    expect(await a.poll('m2', t0 + 1)).to.deep.include({ state: 'waiting', ahead: 1 });
    expect(await placed(a, 'm2', t0 + 2)).to.deep.include({ state: 'waiting', ahead: 1 });
  });

  it('when a member leaves through another process, then within a period this one asks the queue and hears they are gone', async () => {
    await a.join('m1', t0);
    expect(await a.poll('m1', t0 + 1)).to.deep.include({ state: 'waiting' });
    expect(await b.queue.leave(show, 'm1')).to.equal(true);
    expect(await placed(a, 'm1', t0 + 1 + PERIOD)).to.equal(undefined);
    expect(await a.poll('m1', t0 + 1 + PERIOD)).to.deep.equal({ state: 'absent' });
  });

  it('when a member leaves and joins again through another process, then within a period this one tells their new place', async () => {
    await a.join('m1', t0);
    await a.join('m2', t0);
    expect(await a.poll('m1', t0 + 1)).to.deep.include({ ahead: 0 });
    await b.queue.leave(show, 'm1');
    await b.join('m1', t0 + 2);
    const later = t0 + 1 + PERIOD;
    expect(await a.poll('m1', later)).to.deep.equal(await b.queue.status(show, 'm1', later, lease));
    expect(await a.poll('m1', later + 1)).to.deep.include({ state: 'waiting', ahead: 1 });
  });

  it('when members ahead leave through another process, then positions are exact again within a period', async () => {
    for (const member of ['m1', 'm2', 'm3', 'm4', 'm5']) await a.join(member, t0);
    expect(await a.poll('m5', t0 + 1)).to.deep.include({ ahead: 4 });
    await b.queue.leave(show, 'm2');
    await b.queue.leave(show, 'm4');
    const later = t0 + 1 + PERIOD;
    const told = await placed(a, 'm5', later);
    expect(told).to.deep.include({ state: 'waiting', ahead: 2 });
    expect(told).to.deep.equal(await a.queue.status(show, 'm5', later, lease));
  });

  it('when the queue closes through another process, then within a period its members are told closed', async () => {
    await a.join('m1', t0);
    expect(await a.poll('m1', t0 + 1)).to.deep.include({ state: 'waiting' });
    await b.queue.close(show, 'sold_out', t0 + 2);
    expect(await placed(a, 'm1', t0 + 1 + PERIOD)).to.deep.equal({ state: 'closed', reason: 'sold_out' });
  });

  it('when a member joined after the latest glance holds a later ticket, then a new glance reaches it', async () => {
    await a.join('m1', t0);
    expect(await a.poll('m1', t0 + 1)).to.deep.include({ ahead: 0 });
    await a.join('m2', t0 + 2);
    await a.join('m3', t0 + 2);
    await b.queue.leave(show, 'm2');
    const glancesBefore = a.queue.glances;
    // within the period, but the glance did not cover m3's ticket (nor m2's leaving): a fresh one
    expect(await placed(a, 'm3', t0 + 3)).to.deep.include({ state: 'waiting', ahead: 1 });
    expect(a.queue.glances).to.equal(glancesBefore + 1);
  });

  it('when a ticket was learnt longer ago than verifyMs, then the queue is asked again', async () => {
    const prefix = uniqueName('test:places');
    const c = process(prefix, { verifyMs: 1000 });
    await c.join('m1', t0);
    expect(await placed(c, 'm1', t0 + 999)).to.deep.include({ state: 'waiting' });
    expect(await placed(c, 'm1', t0 + 1000)).to.equal(undefined);
  });

  it('when tickets grow older than verifyMs, then they are swept out as others are learnt (a show over empties)', async () => {
    const c = process(uniqueName('test:places'), { verifyMs: 1000 });
    await c.join('m1', t0);
    await c.join('m2', t0 + 500);
    await c.join('m3', t0 + 1200);
    expect(c.places.remembered(show)).to.deep.equal(['m2', 'm3']);
  });
});
