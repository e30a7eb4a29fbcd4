import { expect } from 'chai';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { acknowledge, admit, close, joinAll, reopen } from '../../../src/domain/admission/admission.rules.js';
import { join, leave, releaseAdmission, renewAdmission, status } from '../../../src/domain/admission/member-place.rules.js';
import { drawOrder } from '../../../src/domain/admission/pre-queue-draw.js';
import { applyDraw, freeze } from '../../../src/domain/admission/queue-draw.rules.js';
import type { QueueState } from '../../../src/domain/admission/queue.state.js';
import type { AdmitLimits, LeasePolicy } from '../../../src/domain/admission/waiting-room.types.js';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

/**
 * The waiting room's rules (src/domain/admission) and their atomic Redis implementation (the Lua
 * scripts) agree: random sequences of operations run on both, every answer and the whole state
 * compared after every step. The clock starts just before the opening and moves by 0–3 ms as well
 * as by seconds, so joins land on both sides of the opening instant.
 */
const OPENS = 1_800_000_060_000;
const lease: LeasePolicy = { leaseMs: 10_000, maxSessionMs: 30_000 };
// rates whose tokens per millisecond are exact binary fractions: Lua hands numbers to Redis as %.14g
const LIMITS: AdmitLimits[] = [
  { ...lease, admitPerSecond: 1000, maxActive: 3 },
  { ...lease, admitPerSecond: 250, maxActive: 1 },
  { ...lease, admitPerSecond: 125, maxActive: 6 },
  // a short first lease: renewals (the member seen) make it a full one
  { ...lease, firstLeaseMs: 3000, admitPerSecond: 250, maxActive: 2 },
];
const MEMBERS = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];

interface Model {
  q: QueueState | undefined;
  clock: number;
}
interface Real {
  queue: RedisAdmissionQueue;
  redis: Redis;
  show: string;
}
let executed = 0;
/** Joiners the joins' own step admitted (they held no lease before): the property must reach that case. */
let admittedAtJoin = 0;
type Step = fc.AsyncCommand<Model, Real>;

/** One operation: what it does to the domain's queue and to Redis; their answers must be equal. */
function step(label: string, onModel: (m: Model) => unknown, onReal: (r: Real, m: Model) => Promise<unknown>): Step {
  return {
    check: () => true,
    async run(m, r) {
      executed++;
      const expected = onModel(m);
      const actual = await onReal(r, m);
      expect(actual, label).to.deep.equal(expected);
      expect(await redisState(r), `state after ${label}`).to.deep.equal(modelState(m.q));
    },
    toString: () => label,
  };
}

const member = fc.constantFrom(...MEMBERS);
const joinOne = member.map((id) =>
  step(
    `join ${id}`,
    (m) => {
      const joined = join(m.q, id, { now: m.clock, receivedAt: m.clock, salesOpenAt: OPENS }, lease);
      m.q = joined.queue;
      return joined.place;
    },
    (r, m) => r.queue.join(r.show, id, m.clock, OPENS, lease),
  ),
);

// the joins of one turn (one script call), admitted at once into an empty line within the pace
const joinsOfOneTurn = fc.tuple(fc.array(member, { minLength: 1, maxLength: 3 }), fc.nat(LIMITS.length - 1)).map(([ids, i]) =>
  step(
    `joins of one turn ${ids.join(',')} within ${JSON.stringify(LIMITS[i])}`,
    (m) => {
      const at = { now: m.clock, receivedAt: m.clock, salesOpenAt: OPENS };
      const leased = new Set(m.q?.leases.keys());
      const joined = joinAll(
        m.q,
        ids.map((memberId) => ({ memberId, at })),
        LIMITS[i]!,
        LIMITS[i]!,
      );
      m.q = joined.queue;
      admittedAtJoin += joined.places.filter((place, k) => place.state === 'admitted' && !leased.has(ids[k]!)).length;
      return joined.places;
    },
    (r, m) => Promise.all(ids.map((id) => r.queue.join(r.show, id, m.clock, OPENS, LIMITS[i]!, LIMITS[i]!))),
  ),
);

const leaveOrRelease = fc.tuple(member, fc.boolean()).map(([id, line]) =>
  step(
    `${line ? 'leave' : 'release'} ${id}`,
    (m) => leave(m.q, id, line),
    (r) => (line ? r.queue.leave(r.show, id) : r.queue.release(r.show, id)),
  ),
);

const admitOnce = fc.nat(LIMITS.length - 1).map((i) =>
  step(
    `admit within ${JSON.stringify(LIMITS[i])}`,
    (m) => admit(m.q, m.clock, LIMITS[i]!),
    (r, m) => r.queue.admit(r.show, m.clock, LIMITS[i]!),
  ),
);

const waitAWhile = fc.constantFrom(1, 2, 3, 500, 1000, 4000, 11_000).map((ms) =>
  step(
    `wait ${ms} ms`,
    (m) => void (m.clock += ms),
    async () => undefined,
  ),
);

/** Steps for a line that opened before anyone came: joins, leaves and the pace are all that move it. */
const openLineSteps = [
  joinOne,
  joinsOfOneTurn,
  joinsOfOneTurn,
  joinsOfOneTurn,
  leaveOrRelease,
  leaveOrRelease,
  admitOnce,
  waitAWhile,
  waitAWhile,
];

const steps = [
  joinOne,
  joinsOfOneTurn,
  fc.uniqueArray(member, { minLength: 1, maxLength: 3 }).map((ids) =>
    step(
      `status ${ids.join(',')}`,
      (m) => ids.map((id) => status(m.q, id, m.clock, lease)),
      (r, m) => r.queue.statuses(r.show, ids, m.clock, lease),
    ),
  ),
  member.map((id) =>
    step(
      `renew ${id}`,
      (m) => renewAdmission(m.q, id, m.clock, lease),
      (r, m) => r.queue.renew(r.show, id, m.clock, lease),
    ),
  ),
  leaveOrRelease,
  // a hold ending: of the member's current admission, or of an earlier one (its time is before)
  fc.tuple(member, fc.boolean()).map(([id, current]) => {
    let admittedAt = 0;
    return step(
      `release ${id}'s ${current ? 'current' : 'earlier'} admission`,
      (m) => {
        admittedAt = (m.q?.admittedAt.get(id) ?? m.clock) - (current ? 0 : 1);
        return releaseAdmission(m.q, id, admittedAt);
      },
      (r) => r.queue.release(r.show, id, admittedAt),
    );
  }),
  fc.string({ minLength: 1, maxLength: 6 }).map((seed) =>
    step(
      `draw with seed ${JSON.stringify(seed)}`,
      (m) => {
        const list = freeze(m.q, { instant: m.clock, salesOpenAt: OPENS });
        if (list) applyDraw(m.q, drawOrder(list, seed), m.clock);
        return list;
      },
      async (r, m) => {
        const list = await r.queue.freeze(r.show, { now: m.clock, salesOpenAt: OPENS });
        if (list) await r.queue.applyDraw(r.show, drawOrder(list, seed), m.clock);
        return list;
      },
    ),
  ),
  admitOnce,
  fc.constantFrom('sold_out', 'sales_closed').map((reason) =>
    step(
      `close as ${reason}`,
      (m) => void (m.q = close(m.q, reason, m.clock)),
      (r, m) => r.queue.close(r.show, reason, m.clock).then(() => undefined),
    ),
  ),
  fc.constantFrom(0, 5000).map((quietMs) =>
    step(
      `reopen after ${quietMs} ms`,
      (m) => reopen(m.q, m.clock, quietMs),
      (r, m) => r.queue.reopen(r.show, m.clock, quietMs),
    ),
  ),
  fc.nat(3).map((seq) =>
    step(
      `acknowledge up to batch ${seq}`,
      (m) => acknowledge(m.q, seq),
      (r) => r.queue.ackBatches(r.show, seq),
    ),
  ),
  fc.constant(
    step(
      'wait for the opening instant',
      (m) => void (m.clock = Math.max(m.clock, OPENS)),
      async () => undefined,
    ),
  ),
  waitAWhile,
];

/** The domain's queue in the shape of the Redis keys (see redis-admission.lua.ts). */
function modelState(q: QueueState | undefined) {
  if (!q) return undefined;
  const joined: Record<string, string> = {};
  for (const [id, { at, ahead }] of q.joined) joined[id] = `${at}:${ahead}`;
  for (const [id, at] of q.admittedAt) joined[id] = String(at);
  return {
    meta: {
      phase: q.phase,
      reason: q.reason,
      next: q.next,
      served: q.served,
      tokens: q.tokens,
      batch: q.batch,
      admitted: q.admittedTotal,
      abandoned: q.abandonedTotal,
      closedAt: q.closedAt,
    },
    tickets: Object.fromEntries([...q.tickets].map(([id, t]) => [id, t])),
    owners: Object.fromEntries([...q.owners].map(([t, id]) => [String(t), id])),
    pre: q.pre,
    left: [...q.left].sort((a, b) => a - b),
    leases: Object.fromEntries(q.leases),
    joined,
    outbox: q.outbox,
  };
}

async function redisState(r: Real) {
  const [meta, tickets, owners, pre, left, leases, joined, outbox] = r.queue.keys(r.show) as [string, ...string[]];
  const [fields, ticketMap, ownerMap, preList, leftSet, leaseList, joinedMap, outboxList] = await Promise.all([
    r.redis.hgetall(meta),
    r.redis.hgetall(tickets!),
    r.redis.hgetall(owners!),
    r.redis.lrange(pre!, 0, -1),
    r.redis.zrange(left!, 0, -1),
    r.redis.zrange(leases!, 0, -1, 'WITHSCORES'),
    r.redis.hgetall(joined!),
    r.redis.lrange(outbox!, 0, -1),
  ]);
  if (!fields.phase) return undefined;
  const num = (value: string | undefined) => Number(value ?? 0);
  const leaseMap: Record<string, number> = {};
  for (let i = 0; i < leaseList.length; i += 2) leaseMap[leaseList[i]!] = Number(leaseList[i + 1]);
  return {
    meta: {
      phase: fields.phase,
      reason: fields.reason,
      next: num(fields.next),
      served: num(fields.served),
      tokens: num(fields.tokens),
      batch: num(fields.batch),
      admitted: num(fields.admitted),
      abandoned: num(fields.abandoned),
      closedAt: num(fields.closedAt),
    },
    tickets: Object.fromEntries(Object.entries(ticketMap).map(([id, t]) => [id, Number(t)])),
    owners: ownerMap,
    pre: preList,
    left: leftSet.map(Number).sort((a, b) => a - b),
    leases: leaseMap,
    joined: joinedMap,
    outbox: outboxList.map((entry) => {
      const [seq, at, ids] = entry.split('|');
      return { seq: Number(seq), admittedAt: Number(at), memberIds: ids!.split(',') };
    }),
  };
}

describe('the waiting room rules and the Redis scripts (model-based)', () => {
  let redis: Redis;
  const prefix = uniqueName('test:admission-model');

  before(async function () {
    await requireService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL);
  });
  after(async () => {
    const keys = await redis?.keys(`${prefix}:*`);
    if (keys?.length) await redis.del(...keys);
    redis?.disconnect();
  });

  /** Runs `runs` random command sequences on both sides, each on a show of its own, its clock `before` ms before the opening. */
  async function agree(commands: fc.Arbitrary<Iterable<Step>>, before: fc.Arbitrary<number>, runs: number): Promise<void> {
    const queue = new RedisAdmissionQueue(redis, prefix, { phaseClock: 'caller' });
    await fc.assert(
      fc.asyncProperty(commands, before, async (sequence, ahead) => {
        const show = uniqueName('show');
        await fc.asyncModelRun(() => ({ model: { q: undefined, clock: OPENS - ahead }, real: { queue, redis, show } }), sequence);
        await redis.del(...queue.keys(show));
      }),
      { numRuns: runs, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261204 },
    );
  }

  it('when random operations run on both, across the opening instant, then every answer and every state agree', async () => {
    executed = 0;
    await agree(fc.commands(steps, { maxCommands: 60, size: 'max' }), fc.constantFrom(1, 2, 5, 60), Number(process.env.MODEL_RUNS ?? 150));
    expect(executed).to.be.greaterThan(1000);
  });

  it('when members join a line open since before they came, then the joins admitted in their own step agree too', async () => {
    executed = 0;
    admittedAtJoin = 0;
    await agree(fc.commands(openLineSteps, { maxCommands: 40, size: 'max' }), fc.constant(-1000), Number(process.env.MODEL_RUNS ?? 150));
    expect(executed).to.be.greaterThan(1000);
    expect(admittedAtJoin).to.be.greaterThan(5);
  });
});
