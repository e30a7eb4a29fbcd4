import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { LeasePolicy, MemberPlace } from '../../../src/application/ports/admission-queue.js';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { connectRedis } from '../../../src/infrastructure/redis/connect-redis.js';
import type { RedisClient } from '../../../src/infrastructure/redis/redis-client.js';
import { masterOf as masterOfSlot, redisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { uniqueName } from '../../support/services.js';

const lease: LeasePolicy = { leaseMs: 60_000, maxSessionMs: 600_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the waiting room when a Redis Cluster master is killed (SIGKILL) mid-join', function () {
  this.timeout(90_000);
  let cluster: RedisCluster;
  let redis: RedisClient;
  let killed: number | undefined;

  before(async function () {
    cluster = await redisCluster(this);
    // the server's own client, as REDIS_CLUSTER_NODES makes it
    redis = connectRedis(loadConfig({ REDIS_CLUSTER_NODES: cluster.nodes }), createLogger('silent'))!;
  });

  after(async () => {
    redis?.disconnect();
    // back as a replica, so that the next suite finds a whole cluster
    if (killed !== undefined) await cluster.start(killed);
  });

  // 30 s: a failover under load takes a while to show in CLUSTER SLOTS
  const masterOf = (key: string) => masterOfSlot(redis, cluster, key, 300);

  /**
   * Members join 8 at a time; then the show's master loses its replica for 150 ms (the replica is
   * stalled with SIGSTOP and its link cut with CLIENT KILL TYPE replica), and the master is SIGKILLed
   * before the replica comes back: what was written in those 150 ms is on no other node. Answers the places told and what the survivors say of them.
   */
  async function joinThroughFailover(queue: RedisAdmissionQueue) {
    const show = uniqueName('show');
    const master = await masterOf(queue.keys(show)[0]!);
    const told = new Map<string, number>();
    let next = 0;
    let stop = false;
    const joiner = async () => {
      while (!stop) {
        const member = `m${next++}`;
        try {
          const place = await queue.join(show, member, Date.now(), 0, lease);
          if (place.state === 'waiting') told.set(member, place.ticket);
        } catch {
          await sleep(20);
        }
      }
    };
    const joiners = Array.from({ length: 8 }, joiner);
    await sleep(300);
    // the replica stalls, so that it cannot reconnect; the master drops it: its writes now reach no replica
    const replica = await cluster.replicaOf(master);
    await cluster.pause(replica);
    const direct = new Redis(cluster.port(master), { lazyConnect: true, retryStrategy: () => null });
    await direct.connect();
    await direct.client('KILL', 'TYPE', 'replica');
    direct.disconnect();
    await sleep(150);
    killed = master;
    await cluster.kill(master);
    await cluster.resume(replica);
    const killedAt = Date.now();
    // joins flow again once the replica has taken over the show's slot
    const beforeKill = told.size;
    while (Date.now() - killedAt < 30_000 && (told.size < beforeKill + 50 || (await masterOf(queue.keys(show)[0]!)) === master)) {
      await sleep(100);
    }
    stop = true;
    await Promise.all(joiners);
    expect(await masterOf(queue.keys(show)[0]!), 'a replica took over').not.to.equal(master);
    const members = [...told.keys()];
    const places: MemberPlace[] = [];
    for (let i = 0; i < members.length; i += 500)
      places.push(...(await queue.statuses(show, members.slice(i, i + 500), Date.now(), lease)));
    const lost = members.filter((member, i) => {
      const place = places[i]!;
      return place.state !== 'waiting' || place.ticket !== told.get(member);
    });
    // back as a replica, so that the next test (and suite) finds a whole cluster
    await cluster.start(master);
    killed = undefined;
    return { told, lost };
  }

  it('when joins are answered before a replica holds them (no WAIT), then the failover loses places that were told', async () => {
    const { told, lost } = await joinThroughFailover(new RedisAdmissionQueue(redis, uniqueName('test:admission')));
    expect(lost.length, `places lost of ${told.size} told`).to.be.greaterThan(0);
  });

  it('when joins are answered only once a replica holds them (WAIT 1), then every place told survives the failover', async () => {
    const replication = { replicas: 1, timeoutMs: 500 };
    const { told, lost } = await joinThroughFailover(new RedisAdmissionQueue(redis, uniqueName('test:admission'), { replication }));
    expect(lost, `places told but gone or changed after the failover, of ${told.size}`).to.deep.equal([]);
    expect(new Set(told.values()).size, 'no ticket told to two members').to.equal(told.size);
  });
});
