import { expect } from 'chai';
import { bookingDecider } from '../../../../src/domain/booking/booking.decider.js';
import type { HoldSeats, HoldRequest } from '../../../../src/domain/booking/booking.commands.js';
import { AccessibleUnavailable, InvalidHoldRequest, OrphanSeat, SeatsUnavailable } from '../../../../src/domain/booking/booking.errors.js';
import type { BookingEvent } from '../../../../src/domain/booking/booking.events.js';
import { totalCapacity } from '../../../../src/domain/catalog/show-layout.js';
import type { OrphanRule, SectionSpec, ShowEvent } from '../../../../src/domain/catalog/show.events.js';
import { deciderSpec } from '../../../support/decider-spec.js';
import { LATER, MEMBER, SHOW_ID, reservedShow, scheduled } from './fixtures.js';

const given = deciderSpec(bookingDecider);
const HOLD = `${SHOW_ID}.h00000000000000d1`;
const NOW = LATER(10);
const EXPIRES = LATER(310);

/** 2 rows of 6; a pillar stands where seats 3 and 4 of row 1 would be. The stage faces row 1's middle. */
const PILLAR: SectionSpec = { id: 'P', name: 'Pillar', rows: 2, seatsPerRow: 6, price: 4000, blocked: ['1-3', '1-4'] };
const showOf = (section: SectionSpec, orphanSeats?: OrphanRule) =>
  scheduled(reservedShow({ maxTicketsPerMember: 12, seating: { sections: [section] }, ...(orphanSeats ? { orphanSeats } : {}) }));

const hold = (request: HoldRequest): HoldSeats => ({
  type: 'HoldSeats',
  showId: SHOW_ID,
  memberId: MEMBER,
  holdId: HOLD,
  request,
  now: NOW,
  expiresAt: EXPIRES,
});

function decided(events: (BookingEvent | ShowEvent)[], request: HoldRequest) {
  return bookingDecider.decide(hold(request), events.reduce(bookingDecider.evolve, bookingDecider.initialState()));
}

function refusal(events: (BookingEvent | ShowEvent)[], request: HoldRequest): { code: string; details?: unknown } {
  try {
    decided(events, request);
  } catch (error) {
    return error as { code: string; details?: unknown };
  }
  throw new Error('expected a refusal');
}

const heldSeats = (events: (BookingEvent | ShowEvent)[], request: HoldRequest) =>
  (decided(events, request).at(-1)!.data as { seats: string[] }).seats;

describe('blocked seats (left out of a section)', () => {
  it('when a hand-picked hold names a blocked seat, then it is refused as a seat that does not exist, naming it', () => {
    given([showOf(PILLAR)])
      .when(hold({ seats: ['P-1-2', 'P-1-3'] }))
      .thenThrows(InvalidHoldRequest, 'BOOKING.INVALID_REQUEST');
    expect(refusal([showOf(PILLAR)], { seats: ['P-1-2', 'P-1-3'] }).details).to.deep.equal({ seats: ['P-1-3'] });
  });

  it('when the seats beside the pillar are picked, then they are held', () => {
    expect(heldSeats([showOf(PILLAR)], { seats: ['P-1-2', 'P-1-5'] })).to.deep.equal(['P-1-2', 'P-1-5']);
  });

  it('when best available seats a party of 3, then it skips the row the pillar splits', () => {
    // without the pillar row 1 would take them; its two halves hold 2 each
    expect(heldSeats([showOf(PILLAR)], { quantity: 3 })).to.deep.equal(['P-2-1', 'P-2-2', 'P-2-3']);
    expect(heldSeats([showOf({ ...PILLAR, blocked: [] })], { quantity: 3 })).to.deep.equal(['P-1-1', 'P-1-2', 'P-1-3']);
  });

  it('when best available seats a party of 2, then it takes a half of row 1 and never a blocked seat', () => {
    expect(heldSeats([showOf(PILLAR)], { quantity: 2 })).to.deep.equal(['P-1-1', 'P-1-2']);
  });

  it('when scattered seats are allowed, then the best free seats are handed out and no blocked one', () => {
    const seats = heldSeats([showOf(PILLAR)], { quantity: 10, together: 'preferred' });
    expect(seats).to.have.length(10);
    expect(seats.filter((seat) => seat === 'P-1-3' || seat === 'P-1-4')).to.deep.equal([]);
  });

  it('when more tickets are asked than seats left, then the blocked seats are not counted as available', () => {
    given([showOf(PILLAR)])
      .when(hold({ quantity: 11, together: 'preferred' }))
      .thenThrows(SeatsUnavailable, 'BOOKING.SEATS_UNAVAILABLE');
    expect(refusal([showOf(PILLAR)], { quantity: 11, together: 'preferred' }).details).to.deep.equal({ requested: 11, available: 10 });
  });

  it('when the show is counted, then its capacity leaves the blocked seats out', () => {
    expect(totalCapacity(reservedShow({ seating: { sections: [PILLAR, { ...PILLAR, id: 'Q', blocked: undefined }] } }))).to.equal(22);
  });

  describe('the orphan rule (a blocked seat is a wall, like an aisle or a row end)', () => {
    it('when a pick leaves a single seat between it and the pillar, then that seat is the orphan', () => {
      expect(refusal([showOf(PILLAR, 'refuse')], { seats: ['P-1-1'] })).to.deep.include({
        code: 'BOOKING.ORPHAN_SEAT',
        details: { seat: 'P-1-2' },
      });
      expect(refusal([showOf(PILLAR, 'refuse')], { seats: ['P-1-6'] }).details).to.deep.equal({ seat: 'P-1-5' });
    });

    it('when a pick sits against the pillar and fills its half, then nothing is stranded', () => {
      expect(heldSeats([showOf(PILLAR, 'refuse')], { seats: ['P-1-1', 'P-1-2'] })).to.deep.equal(['P-1-1', 'P-1-2']);
      expect(heldSeats([showOf(PILLAR, 'refuse')], { seats: ['P-1-5', 'P-1-6'] })).to.have.length(2);
    });

    it('when a pick ends against a blocked seat, then the blocked seat is never named an orphan', () => {
      const placed = decided([showOf({ ...PILLAR, blocked: ['1-3'] }, 'warn')], { seats: ['P-1-4', 'P-1-5', 'P-1-6'] }).at(-1)!;
      expect(placed.data).to.deep.include({ seats: ['P-1-4', 'P-1-5', 'P-1-6'] });
      expect(placed.data).not.to.have.property('warnings');
    });

    it('when a pick would strand a seat on a show whose rule is refuse, then the error is ORPHAN_SEAT', () => {
      given([showOf(PILLAR, 'refuse')])
        .when(hold({ seats: ['P-1-6'] }))
        .thenThrows(OrphanSeat, 'BOOKING.ORPHAN_SEAT');
    });
  });

  it('when a blocked seat splits a run of accessible seats, then a wheelchair place and its companion are not beside each other', () => {
    const apart: SectionSpec = { ...PILLAR, blocked: ['1-2'], wheelchair: ['1-1'], companions: ['1-3'] };
    given([showOf(apart)])
      .when(hold({ quantity: 2, accessible: 1 }))
      .thenThrows(AccessibleUnavailable, 'BOOKING.SEATS_UNAVAILABLE');
    const beside: SectionSpec = { ...PILLAR, blocked: ['1-4'], wheelchair: ['1-2'], companions: ['1-3'] };
    expect(heldSeats([showOf(beside)], { quantity: 2, accessible: 1 })).to.deep.equal(['P-1-2', 'P-1-3']);
  });
});
