import { expect } from 'chai';
import { bookingDecider } from '../../../../src/domain/booking/booking.decider.js';
import type { HoldSeats, QuantityRequest } from '../../../../src/domain/booking/booking.commands.js';
import { AccessibleUnavailable, InvalidHoldRequest, NotTogether, SeatsUnavailable } from '../../../../src/domain/booking/booking.errors.js';
import type { BookingEvent } from '../../../../src/domain/booking/booking.events.js';
import type { SectionSpec, ShowEvent } from '../../../../src/domain/catalog/show.events.js';
import { deciderSpec } from '../../../support/decider-spec.js';
import { LATER, MEMBER, SHOW_ID, poolShow, reservedShow, scheduled } from './fixtures.js';

const given = deciderSpec(bookingDecider);
const HOLD = `${SHOW_ID}.h00000000000000b1`;
const NOW = LATER(10);
const EXPIRES = LATER(310);

/** Main: 3 rows of 8 at 5000; Rear: 2 rows of 6 at 3000. The stage is before row 1, between seats 4 and 5. */
const MAIN: SectionSpec = { id: 'M', name: 'Main', rows: 3, seatsPerRow: 8, price: 5000 };
const REAR: SectionSpec = { id: 'R', name: 'Rear', rows: 2, seatsPerRow: 6, price: 3000 };
/** Split by an aisle after seat 4. */
const SPLIT: SectionSpec = { id: 'S', name: 'Split', rows: 2, seatsPerRow: 8, price: 4000, aisles: [4] };

const showOf = (...sections: SectionSpec[]) => scheduled(reservedShow({ maxTicketsPerMember: 8, seating: { sections } }));
const hall = showOf(MAIN, REAR);

function best(request: QuantityRequest): HoldSeats {
  return { type: 'HoldSeats', showId: SHOW_ID, memberId: MEMBER, holdId: HOLD, request, now: NOW, expiresAt: EXPIRES };
}

const priceOf = (part: string) => ({ M: 5000, R: 3000, S: 4000, W: 2000 })[part]!;

/** The events of a hold of these seats; `together` is recorded for best-available holds. */
function held(seats: string[], together?: boolean, holdId = HOLD, memberId = MEMBER): (BookingEvent | ShowEvent)[] {
  const sections = [...new Set(seats.map((s) => s.split('-')[0]!))];
  const parts = sections.map((part) => {
    const own = seats.filter((s) => s.startsWith(`${part}-`));
    return { part, seats: own, quantity: own.length, price: priceOf(part) };
  });
  const base = { showId: SHOW_ID, holdId };
  return [
    ...parts.map((p) => ({
      type: 'SeatsHeld' as const,
      data: { ...base, part: p.part, memberId, seats: p.seats, quantity: p.quantity, expiresAt: EXPIRES.toISOString() },
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
        expiresAt: EXPIRES.toISOString(),
        placedAt: NOW.toISOString(),
        ...(together === undefined ? {} : { together }),
      },
    },
  ];
}

/** Seats taken by somebody else before the request (a hold of another member). */
let others = 0;
const taken = (...seats: string[]) => held(seats, undefined, `${SHOW_ID}.h${String(++others).padStart(16, '0')}`, 'member-2').slice(0, -1);

describe('best available in the booking decider', () => {
  describe('step 1: one row, side by side, leaving no orphan seat', () => {
    it('when the hall is empty, then a pair gets the middle of the front row of the best section', () => {
      given([hall])
        .when(best({ quantity: 2 }))
        .then(held(['M-1-4', 'M-1-5'], true));
    });

    it('when the only block of three in the front row would strand a seat either way, then the next row is chosen', () => {
      given([hall, ...taken('M-1-1', 'M-1-2', 'M-1-7', 'M-1-8')])
        .when(best({ quantity: 3 }))
        .then(held(['M-2-3', 'M-2-4', 'M-2-5'], true));
    });

    it('when the block fills a gap exactly, then it is taken: no seat is left over', () => {
      given([hall, ...taken('M-1-1', 'M-1-2', 'M-1-6', 'M-1-7', 'M-1-8')])
        .when(best({ quantity: 3 }))
        .then(held(['M-1-3', 'M-1-4', 'M-1-5'], true));
    });

    it('when a block beside an aisle would strand the seat against it, then the block moves to leave two or none', () => {
      given([showOf(SPLIT), ...taken('S-1-1', 'S-1-2')])
        .when(best({ quantity: 1 }))
        .then(held(['S-1-5'], true));
      given([showOf(SPLIT)])
        .when(best({ quantity: 2 }))
        .then(held(['S-1-3', 'S-1-4'], true));
    });
  });

  describe('step 2: one row, side by side, an orphan if it must', () => {
    it('when every block of three would strand a seat, then the best of them is held all the same', () => {
      given([hall, ...taken('R-1-1', 'R-1-6', 'R-2-1', 'R-2-2')])
        .when(best({ quantity: 3, section: 'R' }))
        .then(held(['R-1-2', 'R-1-3', 'R-1-4'], true));
    });

    it('when a row is split by an aisle, then the seats either side of it are never one block', () => {
      given([showOf(SPLIT)])
        .when(best({ quantity: 3 }))
        .then(held(['S-1-2', 'S-1-3', 'S-1-4'], true));
      given([showOf(SPLIT)])
        .when(best({ quantity: 5 }))
        .thenThrows(NotTogether, 'BOOKING.NOT_TOGETHER');
    });
  });

  describe('step 3: two rows, one behind the other (together: preferred)', () => {
    it('when no row has the whole party, then it sits in two adjacent rows from the same seat', () => {
      given([showOf(SPLIT)])
        .when(best({ quantity: 5, together: 'preferred' }))
        .then(held(['S-1-5', 'S-1-6', 'S-1-7', 'S-2-5', 'S-2-6'], false));
    });
  });

  describe('step 4: scattered, best seats first (together: preferred)', () => {
    const checkerboard = taken('R-1-2', 'R-1-4', 'R-1-6', 'R-2-1', 'R-2-3', 'R-2-5');

    it('when no two free seats are side by side or aligned, then the best single seats are held', () => {
      given([hall, ...checkerboard])
        .when(best({ quantity: 3, section: 'R', together: 'preferred' }))
        .then(held(['R-1-1', 'R-1-3', 'R-1-5'], false));
    });

    it('when together is required (the default), then it is a 409 naming the biggest block still together', () => {
      given([hall, ...checkerboard])
        .when(best({ quantity: 2, section: 'R' }))
        .thenThrows(NotTogether, 'BOOKING.NOT_TOGETHER');
      const refusal = (() => {
        try {
          bookingDecider.decide(
            best({ quantity: 2, section: 'R' }),
            [hall, ...checkerboard].reduce(bookingDecider.evolve, bookingDecider.initialState()),
          );
        } catch (error) {
          return error as NotTogether;
        }
      })();
      expect(refusal?.details).to.deep.equal({ requested: 2, biggestBlock: 1 });
    });
  });

  describe('expiry', () => {
    const full = taken('R-1-1', 'R-1-2', 'R-1-3', 'R-1-4', 'R-1-5', 'R-1-6', 'R-2-1', 'R-2-2', 'R-2-3', 'R-2-4', 'R-2-5');
    const lateHold = (request: QuantityRequest): HoldSeats => ({ ...best(request), now: LATER(400), expiresAt: LATER(700) });
    const expiredOthers = full
      .filter((e) => e.type === 'SeatsHeld')
      .map((e) => {
        const { showId, part, holdId, seats, quantity } = (e as Extract<BookingEvent, { type: 'SeatsHeld' }>).data;
        return { type: 'SeatsReleased' as const, data: { showId, part, holdId, seats, quantity, reason: 'expired' as const } };
      });

    it('when a hold has passed its deadline but its expiry is not recorded yet, then best available still counts its seats taken', () => {
      given([showOf(REAR), ...full])
        .when(lateHold({ quantity: 2, together: 'preferred' }))
        .thenThrows(SeatsUnavailable, 'BOOKING.SEATS_UNAVAILABLE');
    });

    it('when its expiry is recorded, then its seats are offered again', () => {
      const events = bookingDecider.decide(
        lateHold({ quantity: 2 }),
        [showOf(REAR), ...full, ...expiredOthers].reduce(bookingDecider.evolve, bookingDecider.initialState()),
      );
      expect(events.at(-1)!.data).to.deep.include({ seats: ['R-1-3', 'R-1-4'], together: true });
    });
  });

  describe('limits: section, price, sold out', () => {
    it('when a maximum price leaves only the rear, then the seats come from there', () => {
      given([hall])
        .when(best({ quantity: 2, maxPrice: 3000 }))
        .then(held(['R-1-3', 'R-1-4'], true));
    });

    it('when a section is named, then only it is searched', () => {
      given([hall])
        .when(best({ quantity: 1, section: 'R' }))
        .then(held(['R-1-3'], true));
    });

    it('when the named section does not exist, then the request is invalid', () => {
      given([hall])
        .when(best({ quantity: 1, section: 'X' }))
        .thenThrows(InvalidHoldRequest, 'BOOKING.INVALID_REQUEST');
    });

    it('when no section is cheap enough or too few seats are free, then it is SEATS_UNAVAILABLE', () => {
      given([hall])
        .when(best({ quantity: 1, maxPrice: 100 }))
        .thenThrows(SeatsUnavailable, 'BOOKING.SEATS_UNAVAILABLE');
      given([showOf(REAR), ...taken('R-1-1', 'R-1-2', 'R-1-3', 'R-1-4', 'R-1-5', 'R-1-6', 'R-2-1', 'R-2-2', 'R-2-3', 'R-2-4')])
        .when(best({ quantity: 3, together: 'preferred' }))
        .thenThrows(SeatsUnavailable, 'BOOKING.SEATS_UNAVAILABLE');
    });

    it('when the seats are asked on a general-admission show with a section, then the field is named as invalid', () => {
      given([scheduled(poolShow(50))])
        .when(best({ quantity: 1, section: 'A' }))
        .thenThrows(InvalidHoldRequest, 'BOOKING.INVALID_REQUEST');
    });
  });

  describe('what best means: rank, focal point, seat quality', () => {
    it('when the organizer ranks the cheaper section first, then it is searched first', () => {
      given([showOf({ ...MAIN, rank: 2 }, { ...REAR, rank: 1 })])
        .when(best({ quantity: 2 }))
        .then(held(['R-1-3', 'R-1-4'], true));
    });

    it('when the focal point is at the back left, then seats nearest it come first', () => {
      given([showOf({ ...MAIN, focal: { row: 3, seat: 1 } })])
        .when(best({ quantity: 2 }))
        .then(held(['M-3-1', 'M-3-2'], true));
    });

    it('when the middle seats have a poor view, then their score override sends the party to the side, stranding no seat', () => {
      given([showOf({ ...MAIN, seatQuality: { '1-4': 900, '1-5': 900 } })])
        .when(best({ quantity: 2 }))
        .then(held(['M-1-1', 'M-1-2'], true));
    });
  });

  describe('accessible seating', () => {
    const ACCESS: SectionSpec = { ...MAIN, id: 'W', price: 2000, wheelchair: ['1-4', '3-1', '3-3'], companions: ['1-5', '3-2'] };
    const accessHall = showOf(ACCESS);

    it('when nobody asks for accessible seats, then wheelchair places and companion seats are never handed out', () => {
      given([accessHall])
        .when(best({ quantity: 2 }))
        .then(held(['W-2-4', 'W-2-5'], true));
    });

    it('when a wheelchair place is asked for with a companion, then the companion sits beside it', () => {
      given([accessHall])
        .when(best({ quantity: 2, accessible: 1 }))
        .then(held(['W-1-4', 'W-1-5'], true));
    });

    it('when the front places are taken, then the next run of accessible seats serves', () => {
      given([accessHall, ...taken('W-1-4')])
        .when(best({ quantity: 3, accessible: 2 }))
        .then(held(['W-3-1', 'W-3-2', 'W-3-3'], true));
    });

    it('when no run has the places and companions asked for, or more places than tickets are asked, then it is refused', () => {
      given([accessHall])
        .when(best({ quantity: 4, accessible: 2 }))
        .thenThrows(AccessibleUnavailable, 'BOOKING.SEATS_UNAVAILABLE');
      given([accessHall])
        .when(best({ quantity: 1, accessible: 2 }))
        .thenThrows(InvalidHoldRequest, 'BOOKING.INVALID_REQUEST');
    });
  });
});
