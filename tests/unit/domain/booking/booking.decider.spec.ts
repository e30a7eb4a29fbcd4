import { expect } from 'chai';
import { SalesClosed } from '../../../../src/domain/booking/booking.errors.js';
import { bookingDecider } from '../../../../src/domain/booking/booking.decider.js';
import type { BookingCommand, HoldSeats } from '../../../../src/domain/booking/booking.commands.js';
import {
  HoldHasExpired,
  HoldNotActive,
  HoldNotFound,
  InvalidHoldRequest,
  LimitExceeded,
  ReservationNotFound,
  SeatsUnavailable,
  ShowStarted,
  TicketsAlreadyUsed,
} from '../../../../src/domain/booking/booking.errors.js';
import type { BookingEvent, HoldPart } from '../../../../src/domain/booking/booking.events.js';
import type { ShowEvent } from '../../../../src/domain/catalog/show.events.js';
import { deciderSpec } from '../../../support/decider-spec.js';
import { LATER, MEMBER, SHOW_ID, poolShow, reservedShow, scheduled } from './fixtures.js';

const given = deciderSpec(bookingDecider);
const HOLD = `${SHOW_ID}.h0000000000000001`;
const RESERVATION = `${SHOW_ID}.r0000000000000001`;
const NOW = LATER(10);
const EXPIRES = LATER(310);
const show = scheduled(reservedShow());

function hold(seats: string[], now = NOW, holdId = HOLD): HoldSeats {
  return {
    type: 'HoldSeats',
    showId: SHOW_ID,
    memberId: MEMBER,
    holdId,
    request: { seats },
    now,
    expiresAt: new Date(now.getTime() + 300_000),
  };
}

/** The events a successful hold of these seats records (all in section A or B). */
function held(seats: string[], holdId = HOLD, expiresAt = EXPIRES, memberId = MEMBER): (BookingEvent | ShowEvent)[] {
  const parts: HoldPart[] = ['A', 'B']
    .map((part) => ({ part, seats: seats.filter((s) => s.startsWith(`${part}-`)), price: part === 'A' ? 5000 : 3000, quantity: 0 }))
    .filter((p) => p.seats.length)
    .map((p) => ({ ...p, quantity: p.seats.length }));
  const base = { showId: SHOW_ID, holdId };
  return [
    ...parts.map((p) => ({
      type: 'SeatsHeld' as const,
      data: { ...base, part: p.part, memberId, seats: p.seats, quantity: p.quantity, expiresAt: expiresAt.toISOString() },
    })),
    {
      type: 'HoldPlaced' as const,
      data: {
        ...base,
        memberId,
        parts,
        seats,
        quantity: seats.length,
        total: parts.reduce((sum, p) => sum + p.price * p.quantity, 0),
        currency: 'EUR',
        expiresAt: expiresAt.toISOString(),
        placedAt: new Date(expiresAt.getTime() - 300_000).toISOString(),
      },
    },
  ];
}

const confirm = (now = LATER(20)): BookingCommand => ({
  type: 'ConfirmHold',
  showId: SHOW_ID,
  memberId: MEMBER,
  holdId: HOLD,
  reservationId: RESERVATION,
  now,
});

function confirmed(seats: string[]): (BookingEvent | ShowEvent)[] {
  return bookingDecider.decide(confirm(), [show, ...held(seats)].reduce(bookingDecider.evolve, bookingDecider.initialState()));
}

describe('the booking decider', () => {
  describe('holding seats', () => {
    it('when the seats are free, then they are held across their sections with a price and a deadline', () => {
      given([show])
        .when(hold(['A-1-1', 'B-1-2']))
        .then(held(['A-1-1', 'B-1-2']));
    });

    it('when the hold is made under an admission of the waiting room, then the hold records that admission', () => {
      const admittedAt = NOW.getTime() - 5000;
      const [seatsHeld, placed] = held(['A-1-1']) as [BookingEvent, BookingEvent];
      const withAdmission = { ...placed, data: { ...placed.data, admittedAt: new Date(admittedAt).toISOString() } } as BookingEvent;
      given([show])
        .when({ ...hold(['A-1-1']), admittedAt })
        .then([seatsHeld, withAdmission]);
      // its end (confirm, release, expiry) names it: a later admission of the member is not ended
      const state = [show, seatsHeld, withAdmission].reduce(bookingDecider.evolve, bookingDecider.initialState());
      expect(state.ledger.holds.get(HOLD)?.admittedAt).to.equal(admittedAt);
    });

    it('when some seats are taken, then nothing is held and the taken seats are named', () => {
      const other = held(['A-1-2'], `${SHOW_ID}.h0000000000000002`, EXPIRES, 'member-2');
      let thrown: unknown;
      try {
        bookingDecider.decide(hold(['A-1-1', 'A-1-2']), [show, ...other].reduce(bookingDecider.evolve, bookingDecider.initialState()));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(SeatsUnavailable);
      expect((thrown as SeatsUnavailable).details).to.deep.equal({ seats: ['A-1-2'] });
    });

    it('when a seat was sold, then it cannot be held again', () => {
      given([show, ...held(['A-1-1']), ...confirmed(['A-1-1'])])
        .when(hold(['A-1-1'], LATER(30), `${SHOW_ID}.h0000000000000002`))
        .thenThrows(SeatsUnavailable, 'BOOKING.SEATS_UNAVAILABLE');
    });

    it('when another hold on the seats has passed its time, then they are free even before its expiry is recorded', () => {
      const stale = held(['A-1-1'], `${SHOW_ID}.h0000000000000002`, LATER(5), 'member-2');
      given([show, ...stale])
        .when(hold(['A-1-1']))
        .then(held(['A-1-1']));
    });

    it('when the member holds and owns tickets up to the limit, then one more exceeds it', () => {
      given([show, ...held(['A-1-1', 'A-1-2']), ...confirmed(['A-1-1', 'A-1-2'])])
        .when(hold(['B-1-1', 'B-1-2', 'B-1-3'], LATER(30), `${SHOW_ID}.h0000000000000002`))
        .thenThrows(LimitExceeded, 'BOOKING.LIMIT_EXCEEDED');
    });

    it('when the member’s earlier hold has passed its time, then it no longer counts toward the limit', () => {
      given([show, ...held(['A-1-1', 'A-1-2', 'A-1-3', 'A-2-1'])])
        .when(hold(['B-1-1'], LATER(400), `${SHOW_ID}.h0000000000000002`))
        .then(held(['B-1-1'], `${SHOW_ID}.h0000000000000002`, LATER(700)));
    });

    it('when sales have not opened or have closed, then holding is refused', () => {
      given([show])
        .when(hold(['A-1-1'], LATER(-1)))
        .thenThrows(SalesClosed, 'BOOKING.SALES_CLOSED');
      const closing = scheduled(reservedShow({ salesCloseAt: LATER(5).toISOString() }));
      given([closing])
        .when(hold(['A-1-1']))
        .thenThrows(SalesClosed);
    });

    it('when a seat does not exist or is named twice, then the request is invalid', () => {
      given([show])
        .when(hold(['A-3-1']))
        .thenThrows(InvalidHoldRequest, 'BOOKING.INVALID_REQUEST');
      given([show])
        .when(hold(['A-1-1', 'A-1-1']))
        .thenThrows(InvalidHoldRequest);
    });

    it('when the same hold id comes again, then nothing more is recorded', () => {
      given([show, ...held(['A-1-1'])])
        .when(hold(['A-1-1']))
        .then([]);
    });

    it('when a pool is asked for more than one shard has, then the hold takes from several shards', () => {
      const pool = scheduled(poolShow(100, { maxTicketsPerMember: 30 }));
      const command = { ...hold([]), request: { quantity: 27 } };
      const events = bookingDecider.decide(command, bookingDecider.evolve(bookingDecider.initialState(), pool));
      const parts = events.filter((e) => e.type === 'SeatsHeld').map((e) => [e.data.part, e.data.quantity]);
      expect(parts).to.deep.equal([
        ['ga0', 25],
        ['ga1', 2],
      ]);
      expect(events.at(-1)).to.deep.include({ type: 'HoldPlaced' });
      expect((events.at(-1)!.data as { total: number }).total).to.equal(27 * 2000);
    });

    it('when the pool has fewer tickets than asked, then the hold is refused with what is left', () => {
      const pool = scheduled(poolShow(3));
      given([pool])
        .when({ ...hold([]), request: { quantity: 4 } })
        .thenThrows(SeatsUnavailable);
      given([pool])
        .when(hold(['A-1-1']))
        .thenThrows(InvalidHoldRequest);
    });
  });

  describe('confirming, releasing and expiring', () => {
    it('when a live hold is confirmed, then its seats are sold and a reservation recorded', () => {
      const events = confirmed(['A-1-1', 'B-1-1']);
      expect(events.map((e) => e.type)).to.deep.equal(['SeatsSold', 'SeatsSold', 'HoldConfirmed']);
      expect(events[2]!.data).to.deep.include({ reservationId: RESERVATION, total: 8000, quantity: 2 });
    });

    it('when a hold is confirmed, then the confirmation says whether the hold was a waiting-list offer', () => {
      expect(confirmed(['A-1-1']).at(-1)!.data).to.deep.include({ waitlistOffer: false });
      const [seatsHeld, placed] = held(['A-1-1']) as [BookingEvent, BookingEvent];
      const offer = { ...placed, data: { ...placed.data, waitlistOffer: true } } as BookingEvent;
      const state = [show, seatsHeld, offer].reduce(bookingDecider.evolve, bookingDecider.initialState());
      expect(bookingDecider.decide(confirm(), state).at(-1)!.data).to.deep.include({ waitlistOffer: true });
    });

    it('when the hold is confirmed again, then nothing more is recorded', () => {
      given([show, ...held(['A-1-1']), ...confirmed(['A-1-1'])])
        .when(confirm())
        .then([]);
    });

    it('when the hold has passed its time, then confirming it fails with HOLD_EXPIRED', () => {
      given([show, ...held(['A-1-1'])])
        .when(confirm(LATER(310)))
        .thenThrows(HoldHasExpired, 'BOOKING.HOLD_EXPIRED');
    });

    it('when the hold is not in the member’s ledger, then it is not found', () => {
      given([show]).when(confirm()).thenThrows(HoldNotFound, 'BOOKING.HOLD_NOT_FOUND');
    });

    it('when a live hold is released, then its seats are released', () => {
      const release: BookingCommand = { type: 'ReleaseHold', showId: SHOW_ID, memberId: MEMBER, holdId: HOLD, now: LATER(20) };
      given([show, ...held(['A-1-1'])])
        .when(release)
        .then([
          { type: 'SeatsReleased', data: { showId: SHOW_ID, part: 'A', holdId: HOLD, seats: ['A-1-1'], quantity: 1, reason: 'released' } },
          { type: 'HoldReleased', data: { showId: SHOW_ID, memberId: MEMBER, holdId: HOLD, releasedAt: LATER(20).toISOString() } },
        ]);
      given([show, ...held(['A-1-1']), ...confirmed(['A-1-1'])])
        .when(release)
        .thenThrows(HoldNotActive, 'BOOKING.HOLD_CONFIRMED');
    });

    it('when the deadline passes, then the hold expires exactly once', () => {
      const expire: BookingCommand = { type: 'ExpireHold', showId: SHOW_ID, memberId: MEMBER, holdId: HOLD, now: LATER(311) };
      const expired: (BookingEvent | ShowEvent)[] = [
        { type: 'SeatsReleased', data: { showId: SHOW_ID, part: 'A', holdId: HOLD, seats: ['A-1-1'], quantity: 1, reason: 'expired' } },
        { type: 'HoldExpired', data: { showId: SHOW_ID, memberId: MEMBER, holdId: HOLD, expiredAt: LATER(311).toISOString() } },
      ];
      given([show, ...held(['A-1-1'])])
        .when(expire)
        .then(expired);
      given([show, ...held(['A-1-1']), ...expired])
        .when(expire)
        .then([]);
      given([show, ...held(['A-1-1'])])
        .when({ ...expire, now: LATER(300) })
        .then([]);
    });

    it('when an expired hold’s seats were taken by another hold, then its late expiry leaves them held', () => {
      const other = `${SHOW_ID}.h0000000000000002`;
      const state = [show, ...held(['A-1-1'], HOLD, LATER(5)), ...held(['A-1-1'], other, LATER(400), 'member-2')].reduce(
        bookingDecider.evolve,
        bookingDecider.initialState(),
      );
      const expiry = bookingDecider.decide({ type: 'ExpireHold', showId: SHOW_ID, memberId: MEMBER, holdId: HOLD, now: LATER(6) }, state);
      const after = expiry.reduce(bookingDecider.evolve, state);
      expect(after.inventory.A!.seats.get('A-1-1')?.holdId).to.equal(other);
    });
  });

  describe('cancelling a reservation', () => {
    const cancel = (now: Date): BookingCommand => ({
      type: 'CancelReservation',
      showId: SHOW_ID,
      memberId: MEMBER,
      reservationId: RESERVATION,
      now,
    });

    it('when the show has not started, then the seats are released and can be held again', () => {
      const events = [show, ...held(['A-1-1']), ...confirmed(['A-1-1'])];
      const cancelled = bookingDecider.decide(cancel(LATER(60)), events.reduce(bookingDecider.evolve, bookingDecider.initialState()));
      expect(cancelled.map((e) => e.type)).to.deep.equal(['SeatsReleased', 'ReservationCancelled']);
      given([...events, ...cancelled])
        .when(hold(['A-1-1'], LATER(70), `${SHOW_ID}.h0000000000000002`))
        .then(held(['A-1-1'], `${SHOW_ID}.h0000000000000002`, LATER(370)));
      given([...events, ...cancelled])
        .when(cancel(LATER(80)))
        .then([]);
    });

    it('when the show has started, then the reservation stands', () => {
      given([show, ...held(['A-1-1']), ...confirmed(['A-1-1'])])
        .when(cancel(new Date('2026-12-20T20:00:00.000Z')))
        .thenThrows(ShowStarted, 'BOOKING.SHOW_STARTED');
    });

    it('when the reservation is not the member’s, then it is not found', () => {
      given([show])
        .when(cancel(LATER(60)))
        .thenThrows(ReservationNotFound);
    });

    it('when one of its tickets was admitted at the door, then the reservation stands', () => {
      const used = [{ ticketId: `${RESERVATION}.A-1-1`, gate: 'north', checkedInAt: LATER(50).toISOString() }];
      given([show, ...held(['A-1-1', 'A-1-2']), ...confirmed(['A-1-1', 'A-1-2'])])
        .when({ ...cancel(LATER(60)), checkedIn: used } as BookingCommand)
        .thenThrows(TicketsAlreadyUsed, 'BOOKING.TICKETS_USED');
    });

    it('when it was cancelled before a ticket shows as admitted, then cancelling again changes nothing', () => {
      const events = [show, ...held(['A-1-1']), ...confirmed(['A-1-1'])];
      const cancelled = bookingDecider.decide(cancel(LATER(60)), events.reduce(bookingDecider.evolve, bookingDecider.initialState()));
      given([...events, ...cancelled])
        .when({
          ...cancel(LATER(70)),
          checkedIn: [{ ticketId: 'x', gate: 'north', checkedInAt: LATER(65).toISOString() }],
        } as BookingCommand)
        .then([]);
    });
  });
});
