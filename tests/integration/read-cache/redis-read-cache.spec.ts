import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisReadCache } from '../../../src/infrastructure/read-cache/redis-read-cache.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Redis read cache', () => {
  let redis: Redis;
  const namespace = uniqueName('cache');
  /** Two caches on one namespace stand for two server processes, each with its in-process layer. */
  const processes = () => [new RedisReadCache(redis, namespace), new RedisReadCache(redis, namespace)] as const;

  before(async function () {
    await requireService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
  });

  after(async () => {
    if (!redis) return;
    const keys = await redis.keys(`onsale:${namespace}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('when one process stores an answer, then another reads it, and its in-process copy ends with the shared one', async () => {
    const [writer, reader] = processes();
    const key = uniqueName('show');
    await writer.set(key, { remaining: 3 }, 100);
    expect(await reader.get(key)).to.deep.equal({ remaining: 3 });
    await sleep(150);
    // the in-process layer keeps answers up to 250 ms, but never past the shared entry's expiry
    expect(await reader.get(key)).to.equal(undefined);
  });

  it('when this process deletes a key, then its own next read misses at once', async () => {
    const [cache] = processes();
    const key = uniqueName('show');
    await cache.set(key, { remaining: 3 }, 5000);
    expect(await cache.get(key)).to.deep.equal({ remaining: 3 });
    await cache.delete([key]);
    expect(await cache.get(key)).to.equal(undefined);
  });

  it('when Redis does not answer, then a read is a miss and a store is skipped, never an error', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    const cache = new RedisReadCache(down, namespace);
    await cache.set('k', 1, 1000);
    expect(await cache.get('k')).to.equal(undefined);
    down.disconnect();
  });
});
