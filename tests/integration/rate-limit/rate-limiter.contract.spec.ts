import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { RateLimiter } from '../../../src/application/ports/rate-limiter.js';
import { MemoryRateLimiter } from '../../../src/infrastructure/rate-limit/memory-rate-limiter.js';
import { RedisRateLimiter } from '../../../src/infrastructure/rate-limit/redis-rate-limiter.js';
import { redisCluster } from '../../support/redis-cluster.js';
import { redisCommandsSent } from '../../support/redis-commands-sent.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

interface Backend {
  title: string;
  open(context: Mocha.Context): Promise<{ limiter: RateLimiter; close(): Promise<void> }>;
}

const backends: Backend[] = [
  { title: 'in-process', open: async () => ({ limiter: new MemoryRateLimiter(), close: async () => undefined }) },
  {
    title: 'Redis',
    open: async (context) => {
      await requireService(context, 'redis');
      // auto-pipelined, as the server's connection is
      const redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
      return { limiter: new RedisRateLimiter(redis, `${uniqueName('test')}:`), close: async () => void redis.disconnect() };
    },
  },
  {
    // keys of one hitAll fall in different slots: one call per key there
    title: 'Redis Cluster',
    open: async (context) => {
      const client = (await redisCluster(context)).client({ enableAutoPipelining: true });
      return { limiter: new RedisRateLimiter(client, `${uniqueName('test')}:`), close: async () => void client.disconnect() };
    },
  },
];

for (const backend of backends) {
  describe(`rate limiter contract: ${backend.title}`, function () {
    let limiter: RateLimiter;
    let close: () => Promise<void>;

    before(async function () {
      ({ limiter, close } = await backend.open(this));
    });

    after(async () => {
      await close?.();
    });

    it('when a key is hit up to its limit, then those pass and the next one is refused with a retry time', async () => {
      const key = uniqueName('k');
      for (let i = 0; i < 3; i++) expect(await limiter.hit(key, 3, 60)).to.deep.equal({ allowed: true, retryAfterSeconds: 0 });
      const refused = await limiter.hit(key, 3, 60);
      expect(refused.allowed).to.equal(false);
      expect(refused.retryAfterSeconds).to.be.within(1, 60);
    });

    it('when peeking, then nothing is counted, and a key at its limit reads as refused', async () => {
      const key = uniqueName('k');
      for (let i = 0; i < 5; i++) expect((await limiter.peek(key, 2)).allowed).to.equal(true);
      await limiter.hit(key, 2, 60);
      expect((await limiter.peek(key, 2)).allowed).to.equal(true);
      await limiter.hit(key, 2, 60);
      const full = await limiter.peek(key, 2);
      expect(full.allowed).to.equal(false);
      expect(full.retryAfterSeconds).to.be.within(1, 60);
    });

    it('when a key is reset, then it starts again', async () => {
      const key = uniqueName('k');
      await limiter.hit(key, 1, 60);
      expect((await limiter.hit(key, 1, 60)).allowed).to.equal(false);
      await limiter.reset(key);
      expect((await limiter.hit(key, 1, 60)).allowed).to.equal(true);
    });

    it('when the window ends, then the key passes again', async () => {
      const key = uniqueName('k');
      await limiter.hit(key, 1, 0.2);
      expect((await limiter.hit(key, 1, 0.2)).allowed).to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await limiter.peek(key, 1)).allowed).to.equal(true);
      expect((await limiter.hit(key, 1, 0.2)).allowed).to.equal(true);
    });

    it('when keys differ, then they are counted apart', async () => {
      const [a, b] = [uniqueName('a'), uniqueName('b')];
      await limiter.hit(a, 1, 60);
      expect((await limiter.hit(a, 1, 60)).allowed).to.equal(false);
      expect((await limiter.hit(b, 1, 60)).allowed).to.equal(true);
    });

    it('when 20 hits race on one key with limit 5, then exactly 5 pass', async () => {
      const key = uniqueName('k');
      const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.hit(key, 5, 60)));
      expect(decisions.filter((decision) => decision.allowed)).to.have.length(5);
    });

    it('when several keys are hit at once, then each is counted, and it passes only while every key is within its limit', async () => {
      const [tight, loose] = [uniqueName('tight'), uniqueName('loose')];
      const rules = [
        { key: tight, limit: 1, windowSeconds: 60 },
        { key: loose, limit: 3, windowSeconds: 60 },
      ];
      expect(await limiter.hitAll(rules)).to.deep.equal({ allowed: true, retryAfterSeconds: 0 });
      const refused = await limiter.hitAll(rules);
      expect(refused.allowed).to.equal(false);
      expect(refused.retryAfterSeconds).to.be.within(1, 60);
      // the loose key was counted on the refused call too: 2 so far, so one more passes and then no more
      expect((await limiter.hit(loose, 3, 60)).allowed).to.equal(true);
      expect((await limiter.hit(loose, 3, 60)).allowed).to.equal(false);
    });

    it('when several keys refuse, then the retry time is the longest of theirs; a key that passes does not lengthen it', async () => {
      const [short, long, open] = [uniqueName('short'), uniqueName('long'), uniqueName('open')];
      const both = [
        { key: short, limit: 1, windowSeconds: 5 },
        { key: long, limit: 1, windowSeconds: 60 },
      ];
      await limiter.hitAll(both);
      expect((await limiter.hitAll(both)).retryAfterSeconds).to.be.within(56, 60);
      const shortOnly = [
        { key: short, limit: 1, windowSeconds: 5 },
        { key: open, limit: 100, windowSeconds: 600 },
      ];
      const refused = await limiter.hitAll(shortOnly);
      expect(refused.allowed).to.equal(false);
      expect(refused.retryAfterSeconds).to.be.within(1, 5);
    });

    it('when 20 multi-key hits race on a shared key with limit 5, then exactly 5 pass', async () => {
      const shared = uniqueName('shared');
      const decisions = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          limiter.hitAll([
            { key: shared, limit: 5, windowSeconds: 60 },
            { key: `${shared}-own-${i}`, limit: 1, windowSeconds: 60 },
          ]),
        ),
      );
      expect(decisions.filter((decision) => decision.allowed)).to.have.length(5);
    });

    it('when no keys are given, then it passes', async () => {
      expect(await limiter.hitAll([])).to.deep.equal({ allowed: true, retryAfterSeconds: 0 });
    });
  });
}

describe('the in-process rate limiter', () => {
  it('when more keys arrive than it keeps, then memory stays bounded', async () => {
    const limiter = new MemoryRateLimiter(Date.now, 100);
    for (let i = 0; i < 1000; i++) await limiter.hit(`k${i}`, 1, 60);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).to.be.at.most(100);
  });
});

describe('the Redis rate limiter when Redis is down', () => {
  it('when Redis does not answer, then a 503 RATE_LIMIT.UNAVAILABLE with a retry time', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const limiter = new RedisRateLimiter(redis);
    let thrown: any;
    try {
      await limiter.hit('k', 1, 60);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.include({ kind: 'unavailable', code: 'RATE_LIMIT.UNAVAILABLE', retryAfterSeconds: 1 });
    redis.disconnect();
  });
});

describe('the Redis rate limiter under a burst', () => {
  it('when many hit in one turn of the event loop, then one script call counts them, in the order they came', async function () {
    await requireService(this, 'redis');
    const redis = new Redis(TEST_REDIS_URL);
    const scriptCalls = redisCommandsSent(redis, /^evalsha$/i);
    try {
      const limiter = new RedisRateLimiter(redis, `${uniqueName('test')}:`);
      // the script on the connection first (ioredis sends a call again after NOSCRIPT)
      await limiter.hit(uniqueName('warm-up'), 1, 60);
      scriptCalls.length = 0;
      const [ip, other] = [uniqueName('ip'), uniqueName('other')];
      const decisions = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          limiter.hitAll([
            { key: i % 4 === 3 ? other : ip, limit: 5, windowSeconds: 60 },
            { key: `${ip}-member-${i}`, limit: 1, windowSeconds: 60 },
          ]),
        ),
      );
      expect(scriptCalls).to.have.length(1);
      // the address's first five hits pass (calls 0, 1, 2, 4, 5), the other address's three all pass
      expect(decisions.map((decision) => decision.allowed)).to.deep.equal([
        true,
        true,
        true,
        true,
        true,
        true,
        false,
        true,
        false,
        false,
        false,
        true,
      ]);
    } finally {
      redis.disconnect();
    }
  });
});
