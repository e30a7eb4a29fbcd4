import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisReadCache } from '../../../src/infrastructure/read-cache/redis-read-cache.js';
import { RedisHoldDeadlines } from '../../../src/infrastructure/booking/redis-hold-deadlines.js';
import { RedisStreamTurns } from '../../../src/infrastructure/booking/redis-stream-turns.js';
import { RedisRateLimiter } from '../../../src/infrastructure/rate-limit/redis-rate-limiter.js';
import { redisScript } from '../../../src/infrastructure/redis/redis-script.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';

/** Calls of one command in this server's INFO commandstats. */
async function calls(redis: Redis, command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

// Its own redis-server: SCRIPT FLUSH must not disturb the shared one, and the figures are its own.
describe('Redis scripts (EVALSHA)', function () {
  this.timeout(20_000);
  let server: PrivateRedis;
  let redis: Redis;
  let admin: Redis;

  before(async function () {
    server = await startPrivateRedis(this);
    // as the server's connection: auto-pipelined
    redis = new Redis(server.url, { enableAutoPipelining: true });
    admin = new Redis(server.url);
  });

  after(async () => {
    redis?.disconnect();
    admin?.disconnect();
    await server?.stop();
  });

  /** Six calls of the five scripts (value-with-TTL twice); answers what they said, to compare runs. */
  const useEveryScript = async (round: number) => {
    const limiter = new RedisRateLimiter(redis, 'rate:');
    const cache = new RedisReadCache(redis, 'ns');
    const turns = new RedisStreamTurns(redis, 'ns', { turnMs: 1000, waitMs: 0, contendedMs: 1000 });
    const deadlines = new RedisHoldDeadlines(redis, 'ns');
    const hit = await limiter.hitAll([{ key: 'k', limit: 1, windowSeconds: 60 }]);
    const peek = await limiter.peek('k', 1);
    const cached = await cache.get('absent');
    const turn = await turns.take(['stream-a']);
    await turn.release({ 'stream-a': round });
    await deadlines.schedule({ holdId: `show.h${round}`, memberId: 'm', showId: 'show', expiresAt: new Date(1000) });
    const due = await deadlines.takeDue(new Date(2000), 10);
    return { hit: hit.allowed, peek: peek.allowed, cached, version: turn.versions.get('stream-a'), due: due.map((d) => d.holdId) };
  };

  it('when the scripts run again and again, then Redis gets each body once per connection and EVALSHA after', async () => {
    const first = await useEveryScript(1);
    expect(first).to.deep.equal({ hit: true, peek: false, cached: undefined, version: 0, due: ['show.h1'] });
    for (let round = 2; round <= 4; round++) await useEveryScript(round);
    // five scripts (rate limit hit, value with TTL, turn take and release, due deadlines), 24 calls
    expect(await calls(admin, 'eval')).to.equal(5);
    expect(await calls(admin, 'evalsha')).to.equal(19);
  });

  it('when Redis forgets its scripts (SCRIPT FLUSH), then every script still answers, sending its body once more', async () => {
    await useEveryScript(10);
    await admin.script('FLUSH');
    const evalsBefore = await calls(admin, 'eval');
    const after = await useEveryScript(11);
    expect(after).to.deep.equal({ hit: false, peek: false, cached: undefined, version: 10, due: ['show.h11'] });
    expect(await calls(admin, 'eval')).to.equal(evalsBefore + 5);
    expect(await useEveryScript(12)).to.include({ version: 11 });
    expect(await calls(admin, 'eval'), 'EVALSHA again once loaded').to.equal(evalsBefore + 5);
  });

  it('when a script is defined while an auto-pipeline of the same tick is pending, then both answer and nothing throws', async () => {
    const uncaught: Error[] = [];
    const listener = (error: Error) => uncaught.push(error);
    const [mochaListener] = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', listener);
    try {
      // an adapter made on first use (the waiting room's queue), in the same tick as another command
      const pending = redis.get('onsale:test:nothing');
      const late = redisScript<number>(redis, 'answerSeven', 'return 7', 0);
      expect(await Promise.all([late(), pending])).to.deep.equal([7, null]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.removeListener('uncaughtException', listener);
      if (mochaListener) process.on('uncaughtException', mochaListener);
    }
    expect(uncaught.map((error) => error.message)).to.deep.equal([]);
  });

  it('when a name is taken by another script or by a command, then defining it fails', () => {
    redisScript(redis, 'answerOne', 'return 1', 0);
    expect(() => redisScript(redis, 'answerOne', 'return 1', 0), 'the same script again').not.to.throw();
    expect(() => redisScript(redis, 'answerOne', 'return 2', 0)).to.throw(/already defined/);
    expect(() => redisScript(redis, 'get', 'return 1', 1)).to.throw(/already has a command/);
  });
});
