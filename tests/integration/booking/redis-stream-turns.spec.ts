import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisStreamTurns } from '../../../src/infrastructure/booking/redis-stream-turns.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

describe('stream turns in Redis', () => {
  let redis: Redis;
  let turns: RedisStreamTurns;
  const namespace = uniqueName('turns');

  before(async function () {
    await requireService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL);
    turns = new RedisStreamTurns(redis, namespace, { turnMs: 2000, waitMs: 100, contendedMs: 5000 });
  });

  after(async () => {
    if (!redis) return;
    const keys = await redis.keys(`onsale:${namespace}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('when a stream is not contended, then every writer goes ahead at once', async () => {
    const [a, b] = await Promise.all([turns.take(['inventory-x-A']), turns.take(['inventory-x-A'])]);
    await Promise.all([a.release({}), b.release({})]);
    const other = new RedisStreamTurns(redis, namespace, { turnMs: 2000, waitMs: 0, contendedMs: 5000 });
    expect((await other.take(['inventory-x-A'])).versions.get('inventory-x-A')).to.equal(0);
  });

  it('when a stream is contended, then one writer at a time has the turn, and the next learns the version written', async () => {
    await turns.contended('inventory-x-B');
    const first = await turns.take(['inventory-x-B', 'inventory-x-C']);
    const impatient = new RedisStreamTurns(redis, namespace, { turnMs: 2000, waitMs: 50, contendedMs: 5000 });
    const started = Date.now();
    const without = await impatient.take(['inventory-x-B']);
    expect(without.versions.size, 'no turn within its wait').to.equal(0);
    expect(Date.now() - started).to.be.at.least(45);
    const waiting = turns.take(['inventory-x-B']);
    await first.release({ 'inventory-x-B': 7 });
    const second = await waiting;
    expect(second.versions.get('inventory-x-B')).to.equal(7);
    await second.release({});
  });
});
