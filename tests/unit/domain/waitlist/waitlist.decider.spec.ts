import { expect } from 'chai';
import type { OfferReturnedSeats, SettleOffer } from '../../../../src/domain/waitlist/waitlist.commands.js';
import { waitlistDecider } from '../../../../src/domain/waitlist/waitlist.decider.js';
import {
  AlreadyJoined,
  InvalidWaitlistQuantity,
  NotOnWaitlist,
  NotSoldOut,
  OfferOpen,
} from '../../../../src/domain/waitlist/waitlist.errors.js';
import type { WaitlistEvent, WaitlistJoined, WaitlistOffered } from '../../../../src/domain/waitlist/waitlist.events.js';
import { placeOf } from '../../../../src/domain/waitlist/waitlist.state.js';
import { LimitExceeded } from '../../../../src/domain/booking/booking.errors.js';
import { deciderSpec } from '../../../support/decider-spec.js';

const given = deciderSpec(waitlistDecider);
const showId = '0b7c6a52-1111-4000-8000-000000000001';
const now = new Date('2026-12-01T12:00:00.000Z');
const in15 = '2026-12-01T12:15:00.000Z';
const hold = (n: number) => `${showId}.hoffer000000000000${n}`;

const joined = (memberId: string, quantity = 1): WaitlistJoined => ({
  type: 'WaitlistJoined',
  data: { showId, memberId, quantity, joinedAt: now.toISOString() },
});
const join = (memberId: string, available = 0, quantity = 1, ticketsCounted = 0) =>
  ({ type: 'JoinWaitlist', showId, memberId, quantity, available, maxTicketsPerMember: 4, ticketsCounted, now }) as const;
const returned = (seats: string[], source = 'ev-1', quantity = seats.length): OfferReturnedSeats => ({
  type: 'OfferReturnedSeats',
  showId,
  source,
  part: 'A',
  seats,
  quantity,
  holdIds: [hold(1), hold(2), hold(3), hold(4)],
  now,
  offerMinutes: 15,
});
const offered = (memberId: string, holdId: string, seats: string[], source = 'ev-1', quantity = seats.length): WaitlistOffered => ({
  type: 'WaitlistOffered',
  data: { showId, memberId, holdId, part: 'A', seats, quantity, expiresAt: in15, offeredAt: now.toISOString(), source },
});
const settle = (holdId: string, outcome: SettleOffer['outcome']): SettleOffer => ({ type: 'SettleOffer', showId, holdId, outcome, now });
const fold = (events: WaitlistEvent[]) => events.reduce(waitlistDecider.evolve, waitlistDecider.initialState());

describe('waiting list decider', () => {
  describe('joining', () => {
    it('when the show is sold out, then the member joins with the quantity they want', () => {
      given([])
        .when(join('m1'))
        .then([joined('m1')]);
    });

    it('when tickets are still on sale, then joining is refused with WAITLIST.NOT_SOLD_OUT', () => {
      given([]).when(join('m1', 3)).thenThrows(NotSoldOut, 'WAITLIST.NOT_SOLD_OUT');
    });

    it('when the member is on the list already, then joining again is refused with WAITLIST.ALREADY_JOINED', () => {
      given([joined('m1')])
        .when(join('m1'))
        .thenThrows(AlreadyJoined, 'WAITLIST.ALREADY_JOINED');
    });

    it('when the member holds an offer, then joining again is refused too', () => {
      given([joined('m1'), offered('m1', hold(1), ['A-1-1'])])
        .when(join('m1'))
        .thenThrows(AlreadyJoined);
    });

    it('when the quantity is 0 or above the per-member limit, then it is refused naming the field', () => {
      given([])
        .when(join('m1', 0, 0))
        .thenThrows(InvalidWaitlistQuantity, 'WAITLIST.INVALID_QUANTITY');
      given([])
        .when(join('m1', 0, 5))
        .thenThrows(InvalidWaitlistQuantity, 'WAITLIST.INVALID_QUANTITY');
    });

    it('when the member has tickets already, then what they ask for must fit under the limit with them (BOOKING.LIMIT_EXCEEDED)', () => {
      given([])
        .when(join('m1', 0, 2, 2))
        .then([joined('m1', 2)]);
      given([])
        .when(join('m1', 0, 3, 2))
        .thenThrows(LimitExceeded, 'BOOKING.LIMIT_EXCEEDED');
    });

    it('when a member left, then they may join again, at the back', () => {
      const left: WaitlistEvent = { type: 'WaitlistLeft', data: { showId, memberId: 'm1', leftAt: now.toISOString() } };
      given([joined('m1'), joined('m2'), left])
        .when(join('m1'))
        .then([joined('m1')]);
      expect(placeOf(fold([joined('m1'), joined('m2'), left, joined('m1')]), 'm1')).to.equal(2);
    });
  });

  describe('leaving', () => {
    it('when a waiting member leaves, then WaitlistLeft and the others move up', () => {
      const left: WaitlistEvent = { type: 'WaitlistLeft', data: { showId, memberId: 'm1', leftAt: now.toISOString() } };
      given([joined('m1'), joined('m2')])
        .when({ type: 'LeaveWaitlist', showId, memberId: 'm1', now })
        .then([left]);
      expect(placeOf(fold([joined('m1'), joined('m2'), left]), 'm2')).to.equal(1);
    });

    it('when the member is not on the list, then WAITLIST.NOT_JOINED', () => {
      given([]).when({ type: 'LeaveWaitlist', showId, memberId: 'm1', now }).thenThrows(NotOnWaitlist, 'WAITLIST.NOT_JOINED');
    });

    it('when the member has an offer open, then leaving is refused with WAITLIST.OFFER_OPEN', () => {
      given([joined('m1'), offered('m1', hold(1), ['A-1-1'])])
        .when({ type: 'LeaveWaitlist', showId, memberId: 'm1', now })
        .thenThrows(OfferOpen, 'WAITLIST.OFFER_OPEN');
    });
  });

  describe('offering returned seats', () => {
    it('when a seat comes back, then it is offered to the first member waiting only, for the offer time', () => {
      given([joined('m1'), joined('m2')])
        .when(returned(['A-1-1']))
        .then([offered('m1', hold(1), ['A-1-1'])]);
    });

    it('when the first member has an offer open, then the next seat goes to the second', () => {
      given([joined('m1'), joined('m2'), offered('m1', hold(1), ['A-1-1'])])
        .when(returned(['A-1-2'], 'ev-2'))
        .then([offered('m2', hold(1), ['A-1-2'], 'ev-2')]);
    });

    it('when more seats come back than the first member wants, then the rest go down the list in order', () => {
      given([joined('m1', 2), joined('m2', 3), joined('m3')])
        .when(returned(['A-1-1', 'A-1-2', 'A-1-3']))
        .then([offered('m1', hold(1), ['A-1-1', 'A-1-2']), offered('m2', hold(2), ['A-1-3'])]);
    });

    it('when pool tickets come back, then quantities are offered', () => {
      given([joined('m1', 2), joined('m2')])
        .when(returned([], 'ev-1', 3))
        .then([offered('m1', hold(1), [], 'ev-1', 2), offered('m2', hold(2), [], 'ev-1', 1)]);
    });

    it('when the same returned seats are decided again (a redelivery), then nothing more is offered', () => {
      given([joined('m1'), joined('m2'), offered('m1', hold(1), ['A-1-1'])])
        .when(returned(['A-1-1']))
        .then([]);
    });

    it('when nobody waits, then nothing is offered (the seats are on sale again)', () => {
      given([])
        .when(returned(['A-1-1']))
        .then([]);
    });
  });

  describe('settling an offer', () => {
    const base = [joined('m1'), joined('m2'), offered('m1', hold(1), ['A-1-1'])];
    const data = { showId, memberId: 'm1', holdId: hold(1) };

    it('when the offered hold is confirmed, then the offer is accepted and the member leaves the list', () => {
      const accepted: WaitlistEvent = { type: 'WaitlistOfferAccepted', data: { ...data, acceptedAt: now.toISOString() } };
      given(base)
        .when(settle(hold(1), 'confirmed'))
        .then([accepted]);
      expect(placeOf(fold([...base, accepted]), 'm1')).to.equal(undefined);
    });

    it('when the member declines (releases the hold), then the offer lapses as declined', () => {
      given(base)
        .when(settle(hold(1), 'released'))
        .then([{ type: 'WaitlistOfferLapsed', data: { ...data, reason: 'declined', lapsedAt: now.toISOString() } }]);
    });

    it('when the offer expires, then it lapses and the same seats go to the next member', () => {
      const lapsed: WaitlistEvent = { type: 'WaitlistOfferLapsed', data: { ...data, reason: 'expired', lapsedAt: now.toISOString() } };
      given(base)
        .when(settle(hold(1), 'expired'))
        .then([lapsed]);
      given([...base, lapsed])
        .when(returned(['A-1-1'], 'ev-expired'))
        .then([offered('m2', hold(1), ['A-1-1'], 'ev-expired')]);
    });

    it('when somebody else had the seats first, then the member keeps their place at the head', () => {
      const failed: WaitlistEvent = { type: 'WaitlistOfferFailed', data: { ...data, reason: 'seats-taken', failedAt: now.toISOString() } };
      given(base)
        .when(settle(hold(1), 'seats-taken'))
        .then([failed]);
      expect(placeOf(fold([...base, failed]), 'm1')).to.equal(1);
    });

    it('when the per-member limit leaves no room, then the member leaves the list', () => {
      const failed: WaitlistEvent = { type: 'WaitlistOfferFailed', data: { ...data, reason: 'limit', failedAt: now.toISOString() } };
      given(base)
        .when(settle(hold(1), 'limit'))
        .then([failed]);
      expect(placeOf(fold([...base, failed]), 'm1')).to.equal(undefined);
      expect(placeOf(fold([...base, failed]), 'm2')).to.equal(1);
    });

    it('when the hold is not an open offer (settled already, or an ordinary hold), then nothing', () => {
      given(base)
        .when(settle(hold(9), 'confirmed'))
        .then([]);
    });

    it('while an offer is open, the member sees place 0 and the others count from 1', () => {
      const state = fold(base);
      expect(placeOf(state, 'm1')).to.equal(0);
      expect(placeOf(state, 'm2')).to.equal(1);
    });
  });
});
