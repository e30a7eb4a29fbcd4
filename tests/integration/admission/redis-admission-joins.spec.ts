import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { MemberPlace } from '../../../src/application/ports/admission-queue.js';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { redisCommandsSent } from '../../support/redis-commands-sent.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

const lease = { leaseMs: 60_000, maxSessionMs: 600_000 };
const ticket = (place: MemberPlace) => (place.state === 'waiting' ? place.ticket : place.state);

/** The joins of one turn of the event loop: one script call (admissionJoins) per show, in their order. */
describe('the waiting room’s joins batched per turn (Redis)', () => {
  let redis: Redis;
  let scriptCalls: string[];

  beforeEach(async function () {
    await requireService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL);
    scriptCalls = redisCommandsSent(redis, /^evalsha$/i);
  });
  afterEach(() => redis?.disconnect());

  /** The queue, its join script already on the connection (ioredis resends a call once after NOSCRIPT), no call counted yet. */
  const warmQueue = async (queue: RedisAdmissionQueue) => {
    await queue.join(uniqueName('warm-up'), 'm', Date.now(), 0, lease);
    scriptCalls.length = 0;
    return queue;
  };

  it('when many join in one turn, then one script call answers them all, tickets in the order they came', async () => {
    const queue = await warmQueue(new RedisAdmissionQueue(redis, uniqueName('test:admission')));
    const show = uniqueName('show');
    const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
    const places = await Promise.all(members.map((member) => queue.join(show, member, Date.now(), 0, lease)));
    expect(places.map(ticket)).to.deep.equal(members.map((_, i) => i + 1));
    expect(scriptCalls).to.have.length(1);
    // joining again keeps the place, in a batch as alone; a newcomer between them takes the next ticket
    const again = await Promise.all([queue.join(show, 'm7', Date.now(), 0, lease), queue.join(show, 'new', Date.now(), 0, lease)]);
    expect(again.map(ticket)).to.deep.equal([8, 51]);
    expect(places[49]).to.deep.include({ ahead: 49 });
  });

  it('when one show’s call fails, then only its joins fail; the other show’s joins of the same turn stand', async () => {
    const prefix = uniqueName('test:admission');
    const queue = await warmQueue(new RedisAdmissionQueue(redis, prefix));
    const [good, broken] = [uniqueName('show'), uniqueName('show')];
    // a meta key of the wrong type: the script fails with WRONGTYPE on the broken show
    await redis.set(queue.keys(broken)[0]!, 'not a hash');
    const joins = [good, broken, good, broken].map((show, i) =>
      queue.join(show, `m${i}`, Date.now(), 0, lease).then(ticket, (error: Error) => error.message),
    );
    const [a, b, c, d] = await Promise.all(joins);
    expect([a, c]).to.deep.equal([1, 2]);
    expect(b).to.match(/WRONGTYPE/);
    expect(d).to.equal(b);
    expect(scriptCalls).to.have.length(2);
    // the next turn's joins of the good show go on
    expect(ticket(await queue.join(good, 'later', Date.now(), 0, lease))).to.equal(3);
  });

  it('when a batch spans the opening, then each join’s own instant decides: the early ones are drawn, the later ones queue behind', async () => {
    const queue = await warmQueue(new RedisAdmissionQueue(redis, uniqueName('test:admission'), { phaseClock: 'caller' }));
    const show = uniqueName('show');
    const opensAt = 1_000_000;
    const at = [opensAt - 2, opensAt - 1, opensAt, opensAt + 1];
    const places = await Promise.all(at.map((now, i) => queue.join(show, `m${i}`, now, opensAt, lease)));
    expect(scriptCalls).to.have.length(1);
    expect(places.slice(0, 2)).to.deep.equal([0, 1].map(() => ({ state: 'waiting', preQueue: true, ticket: 0, ahead: null })));
    // the first join at the opening froze the draw of the two before it: the later ones take tickets after them
    expect(places.slice(2).map(ticket)).to.deep.equal([3, 4]);
    expect(await queue.freeze(show)).to.deep.equal(['m0', 'm1']);
  });
});
