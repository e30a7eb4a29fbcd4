import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisHoldDeadlines } from '../../../src/infrastructure/booking/redis-hold-deadlines.js';
import { redisCommandsSent } from '../../support/redis-commands-sent.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

const deadline = (n: number, expiresAt: number) => ({
  holdId: `show.h${n}`,
  memberId: `m${n}`,
  showId: 'show',
  expiresAt: new Date(expiresAt),
});

/** Every hold schedules its deadline and every confirm cancels one: one ZADD and one ZREM a turn of the event loop. */
describe('hold deadlines batched per turn (Redis)', () => {
  let redis: Redis;
  let commands: string[];
  let deadlines: RedisHoldDeadlines;
  let key: string;

  beforeEach(async function () {
    await requireService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL);
    // connected first (see redisCommandsSent); the sorted set's writes counted
    await redis.ping();
    commands = redisCommandsSent(redis, /^(zadd|zrem)$/i);
    const namespace = uniqueName('test');
    deadlines = new RedisHoldDeadlines(redis, namespace);
    key = `onsale:${namespace}:hold-deadlines`;
  });
  afterEach(async () => {
    await redis?.del(key);
    redis?.disconnect();
  });

  it('when many holds schedule in one turn, then one ZADD keeps them all; a hold given twice keeps its last deadline', async () => {
    await Promise.all([deadline(1, 1000), deadline(2, 2000), deadline(3, 3000), deadline(1, 4000)].map((d) => deadlines.schedule(d)));
    expect(commands).to.deep.equal(['zadd']);
    expect(await redis.zrange(key, 0, -1, 'WITHSCORES')).to.deep.equal(['show.h2|m2', '2000', 'show.h3|m3', '3000', 'show.h1|m1', '4000']);
  });

  it('when many confirms cancel in one turn, then one ZREM takes theirs away and leaves the others due', async () => {
    for (const n of [1, 2, 3, 4]) await deadlines.schedule(deadline(n, n * 1000));
    commands.length = 0;
    // a hold that had none cancels nothing, and fails nobody
    await Promise.all([deadlines.cancel('show.h1', 'm1'), deadlines.cancel('show.h3', 'm3'), deadlines.cancel('show.h9', 'm9')]);
    expect(commands).to.deep.equal(['zrem']);
    const due = await deadlines.takeDue(new Date(10_000), 10);
    expect(due.map((d) => d.holdId)).to.deep.equal(['show.h2', 'show.h4']);
  });

  it('when Redis refuses the batch, then every hold of that turn hears of it', async () => {
    await redis.set(key, 'not a sorted set');
    const outcomes = await Promise.allSettled([deadlines.schedule(deadline(1, 1000)), deadlines.schedule(deadline(2, 2000))]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).to.satisfy((all: string[]) =>
      all.every((text) => /WRONGTYPE/.test(text)),
    );
  });
});
