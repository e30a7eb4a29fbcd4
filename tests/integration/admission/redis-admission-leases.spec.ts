import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { redisCommandsSent } from '../../support/redis-commands-sent.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

const lease = { leaseMs: 60_000, maxSessionMs: 600_000 };
const limits = { ...lease, admitPerSecond: 100, maxActive: 100 };
const T0 = 1_000_000;

/**
 * Every hold and confirm on a queued show renews its member's lease, and every confirm releases
 * one: those of one show in one turn of the event loop share one script call each, and each
 * answers as it would alone, in the order they came.
 */
describe('the waiting room’s lease renewals and releases batched per turn (Redis)', () => {
  let redis: Redis;
  let scriptCalls: string[];
  let queue: RedisAdmissionQueue;

  beforeEach(async function () {
    await requireService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL);
    scriptCalls = redisCommandsSent(redis, /^evalsha$/i);
    queue = new RedisAdmissionQueue(redis, uniqueName('test:admission'), { phaseClock: 'caller' });
  });
  afterEach(() => redis?.disconnect());

  /** A show where `admitted` hold places (admitted at T0 + 1000) and `waiting` wait behind them. */
  const showWith = async (admitted: string[], waiting: string[]) => {
    const show = uniqueName('show');
    for (const member of [...admitted, ...waiting]) await queue.join(show, member, T0, 0, lease);
    const result = await queue.admit(show, T0 + 1000, { ...limits, maxActive: admitted.length });
    expect(result.admitted.map((a) => a.memberId)).to.deep.equal(admitted);
    // every script already on the connection (ioredis resends a call once after NOSCRIPT)
    await queue.renew(show, 'nobody', T0 + 1000, lease);
    await queue.release(show, 'nobody');
    scriptCalls.length = 0;
    return show;
  };

  it('when many renew in one turn, then one script call renews each admitted member’s lease and refuses the others', async () => {
    const show = await showWith(['a', 'b', 'c'], ['w']);
    const now = T0 + 2000;
    const renewed = await Promise.all(['a', 'w', 'b', 'stranger', 'c', 'a'].map((member) => queue.renew(show, member, now, lease)));
    expect(scriptCalls).to.have.length(1);
    const admittedAt = T0 + 1000;
    expect(renewed).to.deep.equal([
      { expiresAt: now + lease.leaseMs, admittedAt },
      undefined,
      { expiresAt: now + lease.leaseMs, admittedAt },
      undefined,
      { expiresAt: now + lease.leaseMs, admittedAt },
      { expiresAt: now + lease.leaseMs, admittedAt },
    ]);
  });

  it('when a lease has run out or the show closed, then its renewal in a batch is refused as it would be alone', async () => {
    const show = await showWith(['a', 'b'], []);
    // a's first lease ran out long ago; b renews in the same call
    const late = T0 + 1000 + lease.maxSessionMs + 1;
    const [a, b] = await Promise.all([queue.renew(show, 'a', late, lease), queue.renew(show, 'b', T0 + 2000, lease)]);
    expect(a).to.equal(undefined);
    expect(b).to.deep.include({ admittedAt: T0 + 1000 });
    await queue.close(show, 'sold_out', T0 + 3000);
    scriptCalls.length = 0;
    expect(await Promise.all([queue.renew(show, 'b', T0 + 3000, lease), queue.renew(show, 'b', T0 + 3000, lease)])).to.deep.equal([
      undefined,
      undefined,
    ]);
    expect(scriptCalls).to.have.length(1);
  });

  it('when many release in one turn, then one script call ends each named admission once, and no later one', async () => {
    const show = await showWith(['a', 'b', 'c'], ['w']);
    const admittedAt = T0 + 1000;
    const released = await Promise.all([
      queue.release(show, 'a', admittedAt),
      // another admission's release (an older one) leaves b's lease alone
      queue.release(show, 'b', admittedAt - 1),
      queue.release(show, 'w'),
      queue.release(show, 'c'),
      // the same admission again: ended already
      queue.release(show, 'a', admittedAt),
    ]);
    expect(scriptCalls).to.have.length(1);
    expect(released).to.deep.equal([true, false, false, true, false]);
    const stats = await queue.stats(show);
    expect(stats).to.deep.include({ active: 1, waiting: 1 });
    expect(await queue.renew(show, 'b', T0 + 2000, lease)).to.deep.include({ admittedAt });
  });

  it('when one show’s call fails, then only its renewals and releases fail; the other show’s stand', async () => {
    const good = await showWith(['a'], []);
    const broken = uniqueName('show');
    // a leases key of the wrong type: both scripts fail with WRONGTYPE on the broken show
    await redis.set(queue.keys(broken)[5]!, 'not a sorted set');
    const settle = (promise: Promise<unknown>) =>
      promise.then(
        (value) => value,
        (error: Error) => error.message,
      );
    const [renewGood, renewBroken, releaseBroken, releaseGood] = await Promise.all([
      settle(queue.renew(good, 'a', T0 + 2000, lease)),
      settle(queue.renew(broken, 'a', T0 + 2000, lease)),
      settle(queue.release(broken, 'a')),
      settle(queue.release(good, 'a', T0 + 1000)),
    ]);
    expect(renewGood).to.deep.include({ admittedAt: T0 + 1000 });
    expect(releaseGood).to.equal(true);
    expect(renewBroken).to.match(/WRONGTYPE/);
    expect(releaseBroken).to.match(/WRONGTYPE/);
    expect(scriptCalls).to.have.length(4);
  });
});
