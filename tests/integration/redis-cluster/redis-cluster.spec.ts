import { expect } from 'chai';
import type { Cluster } from 'ioredis';
import type { Admissions } from '../../../src/application/ports/admission-news.js';
import { admissionNews } from '../../../src/infrastructure/admission/admission-news.js';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { joinsScript } from '../../../src/infrastructure/admission/redis-admission.lua.js';
import { RedisHoldDeadlines } from '../../../src/infrastructure/booking/redis-hold-deadlines.js';
import { RedisStreamTurns } from '../../../src/infrastructure/booking/redis-stream-turns.js';
import { RedisAppendNotifier } from '../../../src/infrastructure/event-store/redis-append-notifier.js';
import { redisScript } from '../../../src/infrastructure/redis/redis-script.js';
import { redisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { uniqueName } from '../../support/services.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis on a real Redis Cluster (3 masters, 3 replicas)', () => {
  let cluster: RedisCluster;
  const clients: Cluster[] = [];
  const client = () => {
    const created = cluster.client({ enableAutoPipelining: true });
    clients.push(created);
    return created;
  };
  const slotOf = (redis: Cluster, key: string) => redis.cluster('KEYSLOT', key) as Promise<number>;

  before(async function () {
    cluster = await redisCluster(this);
  });
  after(() => clients.splice(0).forEach((redis) => redis.disconnect()));

  it('when a script touches keys of two slots, then the cluster refuses it loudly (CROSSSLOT): tags matter', async () => {
    const prefix = uniqueName('test');
    const [a, b] = [`${prefix}:{show:a}:meta`, `${prefix}:{show:b}:meta`];
    const refusal = (call: Promise<unknown>) =>
      call.then(
        () => new Error('accepted'),
        (thrown: Error) => thrown,
      );
    const plain = cluster.client();
    clients.push(plain);
    expect(await slotOf(plain, a)).not.to.equal(await slotOf(plain, b));
    const both = redisScript<unknown>(plain, 'testTwoKeys', `redis.call('SET', KEYS[1], 1) return redis.call('SET', KEYS[2], 1)`, 2);
    expect((await refusal(both(a, b))).message, 'the server refuses').to.match(/CROSSSLOT/);
    // the servers' own client auto-pipelines: ioredis refuses before sending
    const piped = client();
    const pipedBoth = redisScript<unknown>(piped, 'testTwoKeys', `redis.call('SET', KEYS[1], 1) return redis.call('SET', KEYS[2], 1)`, 2);
    expect((await refusal(pipedBoth(a, b))).message).to.match(/same slot/);
    // the waiting room's join on one show's keys without their {show:<id>} tag: refused the same way
    const untagged = ['meta', 'tickets', 'owners', 'pre', 'left', 'leases', 'joined', 'outbox'].map((name) => `${prefix}:show:x:${name}`);
    const join = redisScript<unknown>(plain, 'testUntaggedJoin', joinsScript, untagged.length);
    expect((await refusal(join(...untagged, 0, 10_000, 60_000, 'member-1', 0, 0))).message).to.match(/CROSSSLOT/);
    expect(await plain.exists(a), 'the refused script wrote nothing').to.equal(0);
  });

  it("when the waiting room names a show's keys, then all of them hash to one slot, and shows spread over the masters", async () => {
    const redis = client();
    const queue = new RedisAdmissionQueue(redis, uniqueName('test:admission'));
    const slots = await Promise.all(queue.keys('show-1').map((key) => slotOf(redis, key)));
    expect(new Set(slots).size).to.equal(1);
    const ranges = (await redis.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
    const masterOf = (slot: number) => ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
    expect(new Set(ranges.map((range) => range[2][1])).size, 'three masters serve the slots').to.equal(3);
    const shows = await Promise.all(Array.from({ length: 30 }, (_, i) => slotOf(redis, queue.keys(`show-${i}`)[0]!)));
    expect(new Set(shows.map(masterOf)).size, 'shows on every master').to.equal(3);
  });

  it('when writers take turns on streams that live on different masters, then one at a time has each, all or none', async () => {
    const redis = client();
    const namespace = uniqueName('turns');
    const turns = new RedisStreamTurns(redis, namespace, { turnMs: 2000, waitMs: 100, contendedMs: 5000 });
    const [b, c] = ['inventory-x-B', 'inventory-x-C'];
    expect(await slotOf(redis, `onsale:${namespace}:turn:{${b}}`)).not.to.equal(await slotOf(redis, `onsale:${namespace}:turn:{${c}}`));
    await Promise.all([turns.contended(b), turns.contended(c)]);
    const first = await turns.take([b, c]);
    expect([...first.versions.keys()]).to.deep.equal([b, c]);
    const impatient = new RedisStreamTurns(redis, namespace, { turnMs: 2000, waitMs: 50, contendedMs: 5000 });
    expect((await impatient.take([c])).versions.size, 'no turn on C while the first writer has it').to.equal(0);
    const waiting = turns.take([b]);
    await first.release({ [b]: 7, [c]: 3 });
    const second = await waiting;
    expect(second.versions.get(b)).to.equal(7);
    // C was given back in full: taken at once with the version written
    const third = await impatient.take([c]);
    expect(third.versions.get(c)).to.equal(3);
    await Promise.all([second.release({}), third.release({})]);
  });

  it('when hold deadlines are due, then one taker gets them and a later one does not', async () => {
    const redis = client();
    const deadlines = new RedisHoldDeadlines(redis, uniqueName('deadlines'));
    const now = new Date('2030-01-01T00:00:00Z');
    await deadlines.schedule({ holdId: 'show-1.h1', memberId: 'm1', showId: 'show-1', expiresAt: new Date(now.getTime() - 1000) });
    await deadlines.schedule({ holdId: 'show-2.h2', memberId: 'm2', showId: 'show-2', expiresAt: new Date(now.getTime() + 60_000) });
    expect((await deadlines.takeDue(now, 10)).map((due) => due.holdId)).to.deep.equal(['show-1.h1']);
    expect(await deadlines.takeDue(now, 10)).to.deep.equal([]);
    expect((await deadlines.next())?.getTime()).to.equal(now.getTime() + 30_000);
  });

  it('when one process announces on the cluster (plain pub/sub), then a process connected through other nodes hears it', async () => {
    const channel = uniqueName('test:admitted');
    const failures: Error[] = [];
    const [sender, receiver] = [client(), client()].map((redis) => admissionNews(redis, channel, (error) => failures.push(error)));
    const heard: Admissions[] = [];
    receiver!.listen((news) => heard.push(news));
    const news = { showId: 'show-1_A', leaseExpiresAt: 1_800_000_020_000, memberIds: ['4b8f0c1e-0000-4000-8000-000000000001'] };
    // the subscription is asynchronous: announce until the other side hears
    for (const end = Date.now() + 5000; heard.length === 0 && Date.now() < end;) {
      sender!.announce(news);
      await sleep(50);
    }
    expect(heard[0]).to.deep.equal(news);
    expect(failures).to.deep.equal([]);
    sender!.close();
    receiver!.close();
  });

  it('when events are appended, then the hint reaches a reader of the same store on the cluster', async () => {
    const channel = uniqueName('onsale:test:appended');
    const [writer, reader] = [new RedisAppendNotifier(client(), { channel }), new RedisAppendNotifier(client(), { channel })];
    const heard: number[] = [];
    reader.subscribe((position) => heard.push(position));
    for (let position = 1; heard.length === 0 && position < 100; position++) {
      writer.notify(position);
      await sleep(50);
    }
    expect(heard.length).to.be.greaterThan(0);
    await Promise.all([writer.close(), reader.close()]);
  });
});
