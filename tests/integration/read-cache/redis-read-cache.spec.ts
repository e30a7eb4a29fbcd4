import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisReadCache } from '../../../src/infrastructure/read-cache/redis-read-cache.js';
import type { RedisClient } from '../../../src/infrastructure/redis/redis-client.js';
import { redisCluster } from '../../support/redis-cluster.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const backends: { title: string; open(context: Mocha.Context): Promise<RedisClient> }[] = [
  {
    title: 'Redis',
    open: async (context) => {
      await requireService(context, 'redis');
      return new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
    },
  },
  { title: 'Redis Cluster', open: async (context) => (await redisCluster(context)).client({ enableAutoPipelining: true }) },
];

for (const backend of backends) {
  describe(`the Redis read cache (${backend.title})`, () => {
    let redis: RedisClient;
    const namespace = uniqueName('cache');
    /** Two caches on one namespace stand for two server processes, each with its in-process layer. */
    const processes = () => [new RedisReadCache(redis, namespace), new RedisReadCache(redis, namespace)] as const;
    const written: string[] = [];

    before(async function () {
      redis = await backend.open(this);
    });

    after(async () => {
      if (!redis) return;
      await Promise.all(written.map((key) => redis.del(`onsale:${namespace}:cache:${key}`)));
      redis.disconnect();
    });

    it('when one process stores an answer, then another reads it, and its in-process copy ends with the shared one', async () => {
      const [writer, reader] = processes();
      const key = uniqueName('show');
      written.push(key);
      await writer.set(key, { remaining: 3 }, 100);
      expect(await reader.get(key)).to.deep.equal({ remaining: 3 });
      await sleep(150);
      // the in-process layer keeps answers up to 250 ms, but never past the shared entry's expiry
      expect(await reader.get(key)).to.equal(undefined);
    });

    it('when this process deletes a key, then its own next read misses at once', async () => {
      const [cache] = processes();
      const key = uniqueName('show');
      written.push(key);
      await cache.set(key, { remaining: 3 }, 5000);
      expect(await cache.get(key)).to.deep.equal({ remaining: 3 });
      await cache.delete([key]);
      expect(await cache.get(key)).to.equal(undefined);
    });

    it('when keys of several shows are deleted in one call, then every process misses each of them', async () => {
      const [writer, reader] = processes();
      const keys = Array.from({ length: 8 }, () => uniqueName('show'));
      written.push(...keys);
      for (const key of keys) await writer.set(key, { remaining: 1 }, 5000);
      await writer.delete(keys);
      // the other process never read them: its misses come from the shared store
      expect(await Promise.all(keys.map((key) => reader.get(key)))).to.deep.equal(keys.map(() => undefined));
    });
  });
}

describe('the Redis read cache when Redis does not answer', () => {
  it('when Redis does not answer, then a read is a miss and a store is skipped, never an error', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    const cache = new RedisReadCache(down, uniqueName('cache'));
    await cache.set('k', 1, 1000);
    expect(await cache.get('k')).to.equal(undefined);
    down.disconnect();
  });
});
