import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';
import { uniqueName } from '../../support/services.js';

const lease = { leaseMs: 10_000, maxSessionMs: 60_000 };

// Its own redis-server: one with no replica at all, as a Cluster shard is after a failover until the old master returns.
describe('the waiting room waiting for replicas (WAIT) when none answers', function () {
  this.timeout(20_000);
  let server: PrivateRedis;
  let redis: Redis;

  before(async function () {
    server = await startPrivateRedis(this);
    redis = new Redis(server.url, { enableAutoPipelining: true });
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('when no replica acknowledges in time, then the joins of the burst share one script call and one WAIT and stand, reported unreplicated once, and the show skips WAIT for a while', async () => {
    const shortfalls: [string, number][] = [];
    const replication = {
      replicas: 1,
      timeoutMs: 200,
      skipMs: 60_000,
      onUnreplicated: (script: string, n: number) => shortfalls.push([script, n]),
    };
    const queue = new RedisAdmissionQueue(redis, uniqueName('test:admission'), { replication });
    const show = uniqueName('show');
    const started = Date.now();
    // one burst: the joins of one turn share one script call and one WAIT, which waits out its timeout
    const burst = await Promise.all(['a', 'b', 'c'].map((member) => queue.join(show, member, Date.now(), 0, lease)));
    expect(burst.map((place) => place.state === 'waiting' && place.ticket)).to.deep.equal([1, 2, 3]);
    expect(Date.now() - started, 'waited for the replicas').to.be.at.least(190);
    expect(shortfalls).to.deep.equal([['admissionJoins', 0]]);
    // then the show's writes go without WAIT: no more waiting out the timeout
    const later = Date.now();
    expect(await queue.join(show, 'd', Date.now(), 0, lease)).to.deep.include({ state: 'waiting', ticket: 4 });
    expect(Date.now() - later).to.be.below(150);
    expect(shortfalls).to.have.length(1);
    expect(await queue.status(show, 'a', Date.now(), lease)).to.deep.include({ state: 'waiting', ticket: 1 });
  });
});
