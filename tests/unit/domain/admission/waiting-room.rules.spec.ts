import { expect } from 'chai';
import { acknowledge, admit, close, joinAll, reopen } from '../../../../src/domain/admission/admission.rules.js';
import { join, leave, releaseAdmission, renew, renewAdmission, status } from '../../../../src/domain/admission/member-place.rules.js';
import { applyDraw, freeze } from '../../../../src/domain/admission/queue-draw.rules.js';
import { drawOrder } from '../../../../src/domain/admission/pre-queue-draw.js';
import { phaseAt } from '../../../../src/domain/admission/queue-phase.js';
import type { AdmitLimits, LeasePolicy } from '../../../../src/domain/admission/waiting-room.types.js';
import { givenQueue, type QueueStep } from '../../../support/queue-rules-spec.js';

const T0 = 1_800_000_000_000;
const OPENS = T0 + 60_000;
const lease: LeasePolicy = { leaseMs: 10_000, maxSessionMs: 60_000 };
const roomy: AdmitLimits = { ...lease, admitPerSecond: 1000, maxActive: 1000 };

const joined =
  (memberId: string, at = T0, salesOpenAt = T0): QueueStep =>
  (q) =>
    join(q, memberId, { now: at, receivedAt: at, salesOpenAt }, lease).queue;
const preJoined = (memberId: string, at = T0): QueueStep => joined(memberId, at, OPENS);
const admitted =
  (now: number, limits = roomy): QueueStep =>
  (q) => {
    admit(q, now, limits);
    return q;
  };
const drawn =
  (order: string[], now = OPENS): QueueStep =>
  (q) => {
    freeze(q);
    applyDraw(q, order, now);
    return q;
  };
const left =
  (memberId: string): QueueStep =>
  (q) => {
    leave(q, memberId, true);
    return q;
  };
const closedAs =
  (reason: string, now = T0): QueueStep =>
  (q) =>
    close(q, reason, now);
const names = (result: ReturnType<typeof admit>) => result.admitted.map((a) => a.memberId);

describe('the waiting room rules', () => {
  describe('the phase at an instant', () => {
    it('when no queue exists, then a join before the opening starts a pre-queue and one at or after it an open queue', () => {
      expect(phaseAt(undefined, OPENS - 1, OPENS)).to.equal('prequeue');
      expect(phaseAt(undefined, OPENS, OPENS)).to.equal('open');
    });

    it('when a pre-queue is reached at or after the opening, then it is drawing; phases never go back', () => {
      expect(phaseAt('prequeue', OPENS - 1, OPENS)).to.equal('prequeue');
      expect(phaseAt('prequeue', OPENS, OPENS)).to.equal('drawing');
      expect(phaseAt('drawing', OPENS - 5, OPENS)).to.equal('drawing');
      expect(phaseAt('open', OPENS - 5, OPENS)).to.equal('open');
      expect(phaseAt('closed', OPENS + 5, OPENS)).to.equal('closed');
    });
  });

  describe('join', () => {
    it('when members join in turn after the opening, then each is told how many are ahead', () => {
      givenQueue(joined('a'), joined('b'))
        .when((q) => join(q, 'c', { now: T0, receivedAt: T0, salesOpenAt: T0 }, lease).place)
        .then({ state: 'waiting', preQueue: false, ticket: 3, ahead: 2 });
    });

    it('when a member joins before the opening, then they are in the pre-queue with no position yet', () => {
      givenQueue(preJoined('a'))
        .when((q) => join(q, 'b', { now: T0, receivedAt: OPENS - 1, salesOpenAt: OPENS }, lease).place)
        .then({ state: 'waiting', preQueue: true, ticket: 0, ahead: null });
    });

    it('when the first join after the opening arrives, then it freezes the draw and queues behind every early joiner', () => {
      const queue = givenQueue(preJoined('a'), preJoined('b'), preJoined('a'))
        .when((q) => join(q, 'late', { now: OPENS + 3, receivedAt: OPENS + 3, salesOpenAt: OPENS }, lease).place)
        .then({ state: 'waiting', preQueue: false, ticket: 3, ahead: 2 });
      expect(queue?.phase).to.equal('drawing');
      expect(freeze(queue)).to.deep.equal(['a', 'b']);
    });

    it('when an early joiner joins again after the opening, then they keep their place in the draw', () => {
      givenQueue(preJoined('a'), joined('late', OPENS + 1, OPENS))
        .when((q) => join(q, 'a', { now: OPENS + 2, receivedAt: OPENS + 2, salesOpenAt: OPENS }, lease).place)
        .then({ state: 'waiting', preQueue: true, ticket: 0, ahead: null });
    });

    it('when the queue is closed, then a joiner is told why', () => {
      givenQueue(joined('a'), closedAs('sold_out'))
        .when((q) => join(q, 'b', { now: T0, receivedAt: T0, salesOpenAt: T0 }, lease).place)
        .then({ state: 'closed', reason: 'sold_out' });
    });
  });

  describe('the draw', () => {
    it('when the draw is placed, then the drawn order takes tickets 1…n ahead of later arrivals; leavers are skipped', () => {
      givenQueue(preJoined('p1'), preJoined('p2'), preJoined('p3'), left('p2'), joined('late', OPENS + 1, OPENS), drawn(['p3', 'p2', 'p1']))
        .when((q) => names(admit(q, OPENS + 5000, roomy)))
        .then(['p3', 'p1', 'late']);
    });

    it('when drawn with 2,000 fixed seeds, then each join place lands in each drawn place about equally often (chi-square)', () => {
      const members = Array.from({ length: 10 }, (_, i) => `m${i}`);
      const table = members.map(() => members.map(() => 0));
      for (let i = 0; i < 2000; i++) drawOrder(members, `seed-${i}`).forEach((id, place) => table[members.indexOf(id)]![place]!++);
      const statistic = table.flat().reduce((sum, observed) => sum + (observed - 200) ** 2 / 200, 0);
      // df = 81 (rows and columns both sum to 2,000); 124.8 is the p = 0.001 critical value
      expect(statistic).to.be.lessThan(124.8);
    });

    it('when asked to freeze before the opening by the queue clock, then it does not', () => {
      givenQueue(preJoined('p1'))
        .when((q) => freeze(q, { instant: OPENS - 1, salesOpenAt: OPENS }))
        .then(undefined);
    });
  });

  describe('admit', () => {
    it('when one second passes, then no more than admitPerSecond are admitted', () => {
      const limits = { ...roomy, admitPerSecond: 4 };
      const members = Array.from({ length: 10 }, (_, i) => joined(`m${i}`));
      givenQueue(...members, admitted(T0 + 1000, limits))
        .when((q) => names(admit(q, T0 + 1500, limits)))
        .then(['m4', 'm5']);
    });

    it('when capacity is full, then nobody is admitted until a lease ends', () => {
      const limits = { ...roomy, maxActive: 2 };
      givenQueue(joined('a'), joined('b'), joined('c'), admitted(T0 + 1000, limits))
        .when((q) => names(admit(q, T0 + 2000, limits)))
        .then([]);
      givenQueue(joined('a'), joined('b'), joined('c'), admitted(T0 + 1000, limits))
        .when((q) => (leave(q, 'a', false), names(admit(q, T0 + 2000, limits))))
        .then(['c']);
    });

    it('when a lease goes silent, then it expires at the next admit and the place goes to the next member', () => {
      const limits = { ...roomy, maxActive: 1 };
      givenQueue(joined('a'), joined('b'), admitted(T0 + 1000, limits))
        .when((q) => {
          const result = admit(q, T0 + 11_000, limits);
          return { expired: result.expired, admitted: names(result), abandoned: q?.abandonedTotal };
        })
        .then({ expired: 1, admitted: ['b'], abandoned: 1 });
    });
  });

  describe('joins admitted in their own step', () => {
    const pace = { admitPerSecond: 4, maxActive: 2 };
    const joiningAt = (now: number, ...memberIds: string[]) =>
      memberIds.map((memberId) => ({ memberId, at: { now, receivedAt: now, salesOpenAt: T0 } }));
    const placesOf =
      (now: number, ...memberIds: string[]) =>
      (q: Parameters<typeof joinAll>[0]) =>
        joinAll(q, joiningAt(now, ...memberIds), lease, pace).places;

    it('when a member joins an open line that nobody waits in, with a place free and a token, then they are admitted at once with a full lease', () => {
      const queue = givenQueue(joined('first', T0), left('first'))
        .when(placesOf(T0 + 1000, 'b'))
        .then([{ state: 'admitted', leaseExpiresAt: T0 + 11_000 }]);
      expect(queue?.outbox).to.deep.equal([{ seq: 1, admittedAt: T0 + 1000, memberIds: ['b'] }]);
      expect(queue?.admittedAt.get('b')).to.equal(T0 + 1000);
    });

    it('when several join in one step, then they are admitted in their order as far as the tokens and places go, and the rest told where they stand after it', () => {
      givenQueue(joined('first', T0), left('first'))
        .when(placesOf(T0 + 1000, 'b', 'c', 'd'))
        .then([
          { state: 'admitted', leaseExpiresAt: T0 + 11_000 },
          { state: 'admitted', leaseExpiresAt: T0 + 11_000 },
          { state: 'waiting', preQueue: false, ticket: 4, ahead: 0 },
        ]);
    });

    it('when someone already waits ahead, then the joiner waits too: the admitter serves the line in order', () => {
      givenQueue(joined('a', T0), joined('b', T0))
        .when(placesOf(T0 + 1000, 'c'))
        .then([{ state: 'waiting', preQueue: false, ticket: 3, ahead: 2 }]);
    });

    it('when the bucket is empty (a line just created) or no place is free, then the joiner waits for a token or a place', () => {
      givenQueue()
        .when(placesOf(T0, 'a'))
        .then([{ state: 'waiting', preQueue: false, ticket: 1, ahead: 0 }]);
      givenQueue(joined('x', T0), joined('y', T0), admitted(T0 + 1000, { ...lease, ...pace }))
        .when(placesOf(T0 + 2000, 'c'))
        .then([{ state: 'waiting', preQueue: false, ticket: 3, ahead: 0 }]);
    });

    it('when no pace is given (admissions paused) or the line is still a pre-queue, then nobody is admitted at join', () => {
      givenQueue(joined('first', T0), left('first'))
        .when((q) => joinAll(q, joiningAt(T0 + 1000, 'b'), lease).places)
        .then([{ state: 'waiting', preQueue: false, ticket: 2, ahead: 0 }]);
      givenQueue(preJoined('early', T0))
        .when((q) => joinAll(q, [{ memberId: 'b', at: { now: T0 + 1000, receivedAt: T0 + 1000, salesOpenAt: OPENS } }], lease, pace).places)
        .then([{ state: 'waiting', preQueue: true, ticket: 0, ahead: null }]);
    });
  });

  describe('the first lease', () => {
    const short: AdmitLimits = { ...roomy, firstLeaseMs: 3000, maxActive: 1 };

    it('when nobody hears of an admission, then its place goes to the next member once the first lease ends', () => {
      givenQueue(joined('a'), joined('b'), admitted(T0 + 1000, short))
        .when((q) => {
          const before = names(admit(q, T0 + 3999, short));
          const result = admit(q, T0 + 4000, short);
          return { before, expired: result.expired, admitted: names(result), leaseOfB: q?.leases.get('b') };
        })
        .then({ before: [], expired: 1, admitted: ['b'], leaseOfB: T0 + 7000 });
    });

    it('when the member is seen within the first lease, then the lease runs the full length from then', () => {
      givenQueue(joined('a'), joined('b'), admitted(T0 + 1000, short))
        .when((q) => {
          const seen = status(q, 'a', T0 + 3500, short);
          return { seen, admitted: names(admit(q, T0 + 13_499, short)), expired: admit(q, T0 + 13_500, short).expired };
        })
        .then({ seen: { state: 'admitted', leaseExpiresAt: T0 + 13_500 }, admitted: [], expired: 1 });
    });

    it('when the member is seen only after the first lease, then the admission has ended', () => {
      givenQueue(joined('a'), admitted(T0 + 1000, short))
        .when((q) => renew(q!, 'a', T0 + 4000, short))
        .then(false);
    });

    it('when the first lease is longer than a full one, then a new admission gets the full lease', () => {
      givenQueue(joined('a'), admitted(T0 + 1000, { ...roomy, firstLeaseMs: 60_000 }))
        .when((q) => q?.leases.get('a'))
        .then(T0 + 11_000);
    });
  });

  describe('renew and leave', () => {
    it('when an admitted member renews, then the lease runs from now, but never past the session limit', () => {
      givenQueue(joined('a'), admitted(T0 + 1000))
        .when((q) => {
          const first = renew(q!, 'a', T0 + 8000, lease);
          for (let at = T0 + 17_000; at < T0 + 55_000; at += 9000) renew(q!, 'a', at, lease);
          return [first, renew(q!, 'a', T0 + 55_000, lease), renew(q!, 'a', T0 + 61_000, lease)];
        })
        .then([T0 + 18_000, T0 + 61_000, false]);
    });

    it('when a waiting member leaves, then those behind move up', () => {
      givenQueue(joined('a'), joined('b'), joined('c'), left('a'))
        .when((q) => status(q, 'c', T0, lease))
        .then({ state: 'waiting', preQueue: false, ticket: 3, ahead: 1 });
    });

    it('when an admitted member renews through the gate, then the lease names the admission it belongs to', () => {
      givenQueue(joined('a'), admitted(T0 + 1000))
        .when((q) => [renewAdmission(q, 'a', T0 + 2000, lease), renewAdmission(q, 'x', T0 + 2000, lease)])
        .then([{ expiresAt: T0 + 12_000, admittedAt: T0 + 1000 }, undefined]);
    });

    it('when a hold of an earlier admission ends, then the member admitted again keeps the later lease', () => {
      const releasedBy =
        (admittedAt: number): QueueStep =>
        (q) => {
          releaseAdmission(q, 'a', admittedAt);
          return q;
        };
      givenQueue(joined('a'), admitted(T0 + 1000), releasedBy(T0 + 1000), joined('a', T0 + 1500), admitted(T0 + 2000))
        .when((q) => [releaseAdmission(q, 'a', T0 + 1000), renewAdmission(q, 'a', T0 + 2500, lease)])
        .then([false, { expiresAt: T0 + 12_500, admittedAt: T0 + 2000 }]);
    });

    it('when a hold of the current admission ends, then the lease ends and its place is free', () => {
      givenQueue(joined('a'), joined('b'), admitted(T0 + 1000, { ...roomy, maxActive: 1 }))
        .when((q) => [releaseAdmission(q, 'a', T0 + 1000), names(admit(q, T0 + 2000, { ...roomy, maxActive: 1 }))])
        .then([true, ['b']]);
    });

    it('when a member who holds nothing leaves, then nothing changes', () => {
      givenQueue(joined('a'))
        .when((q) => [leave(q, 'x', true), leave(q, 'a', false)])
        .then([false, false]);
    });
  });

  describe('close on sell-out, reopen, record', () => {
    it('when closed as sold out, then nobody is admitted; after the quiet time it reopens with every place kept', () => {
      givenQueue(joined('a'), joined('b'), closedAs('sold_out'))
        .when((q) => [
          names(admit(q, T0 + 1000, roomy)),
          reopen(q, T0 + 4000, 5000),
          reopen(q, T0 + 6000, 5000),
          names(admit(q, T0 + 8000, roomy)),
        ])
        .then([[], false, true, ['a', 'b']]);
    });

    it('when a batch is acknowledged twice, then its members are counted once', () => {
      givenQueue(joined('a'), joined('b'), admitted(T0 + 1000), joined('c'), admitted(T0 + 2000))
        .when((q) => [acknowledge(q, 1), acknowledge(q, 1), acknowledge(q, 2), acknowledge(q, 2)])
        .then([2, 0, 1, 0]);
    });
  });
});
