import { bookingDecider } from '../../../../src/domain/booking/booking.decider.js';
import type { HoldSeats } from '../../../../src/domain/booking/booking.commands.js';
import { OrphanSeat } from '../../../../src/domain/booking/booking.errors.js';
import type { BookingEvent } from '../../../../src/domain/booking/booking.events.js';
import type { OrphanRule, SectionSpec, ShowEvent } from '../../../../src/domain/catalog/show.events.js';
import { expect } from 'chai';
import { deciderSpec } from '../../../support/decider-spec.js';
import { LATER, MEMBER, SHOW_ID, reservedShow, scheduled } from './fixtures.js';

const given = deciderSpec(bookingDecider);
const HOLD = `${SHOW_ID}.h00000000000000c1`;
const NOW = LATER(10);
const EXPIRES = LATER(310);
/** One section, 2 rows of 8 seats, an aisle after seat 4. */
const SPLIT: SectionSpec = { id: 'S', name: 'Split', rows: 2, seatsPerRow: 8, price: 4000, aisles: [4] };
const showWith = (orphanSeats?: OrphanRule) =>
  scheduled(reservedShow({ seating: { sections: [SPLIT] }, ...(orphanSeats ? { orphanSeats } : {}) }));

const pick = (seats: string[]): HoldSeats => ({
  type: 'HoldSeats',
  showId: SHOW_ID,
  memberId: MEMBER,
  holdId: HOLD,
  request: { seats },
  now: NOW,
  expiresAt: EXPIRES,
});

function decided(events: (BookingEvent | ShowEvent)[], seats: string[]) {
  return bookingDecider.decide(pick(seats), events.reduce(bookingDecider.evolve, bookingDecider.initialState()));
}

function refusal(events: (BookingEvent | ShowEvent)[], seats: string[]): OrphanSeat {
  try {
    decided(events, seats);
  } catch (error) {
    return error as OrphanSeat;
  }
  throw new Error('expected a refusal');
}

describe('the orphan rule for hand-picked seats', () => {
  it('when the rule is refuse and the pick strands the seat at the row end, then ORPHAN_SEAT names it and a choice that does not', () => {
    given([showWith('refuse')])
      .when(pick(['S-1-2', 'S-1-3']))
      .thenThrows(OrphanSeat, 'BOOKING.ORPHAN_SEAT');
    expect(refusal([showWith('refuse')], ['S-1-2', 'S-1-3']).details).to.deep.equal({ seat: 'S-1-1', suggestion: ['S-1-1', 'S-1-2'] });
  });

  it('when the pick strands the seat against an aisle, then that seat is named', () => {
    expect(refusal([showWith('refuse')], ['S-1-6', 'S-1-7', 'S-1-8']).details).to.deep.include({ seat: 'S-1-5' });
  });

  it('when the pick leaves two seats or none beside it, then it is held', () => {
    const events = decided([showWith('refuse')], ['S-1-3', 'S-1-4']);
    expect(events.map((e) => e.type)).to.deep.equal(['SeatsHeld', 'HoldPlaced']);
    expect(decided([showWith('refuse')], ['S-1-1', 'S-1-2', 'S-1-3', 'S-1-4'])).to.have.length(2);
  });

  it('when the rule is warn, then the hold is placed with a warning for each stranded seat', () => {
    const placed = decided([showWith('warn')], ['S-1-2', 'S-1-3']).at(-1)!;
    expect(placed.data).to.deep.include({
      warnings: [
        { code: 'BOOKING.ORPHAN_SEAT', seat: 'S-1-1', suggestion: ['S-1-1', 'S-1-2'] },
        { code: 'BOOKING.ORPHAN_SEAT', seat: 'S-1-4', suggestion: ['S-1-3', 'S-1-4'] },
      ],
    });
  });

  it('when the rule is off (the default), then a stranding pick is held without a warning', () => {
    const placed = decided([showWith()], ['S-1-2', 'S-1-3']).at(-1)!;
    expect(placed.data).not.to.have.property('warnings');
  });
});
