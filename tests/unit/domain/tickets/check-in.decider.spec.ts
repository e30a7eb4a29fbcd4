import { expect } from 'chai';
import type { HoldConfirmed, ReservationCancelled } from '../../../../src/domain/booking/booking.events.js';
import { checkInDecider, type CheckInFact } from '../../../../src/domain/tickets/check-in.decider.js';
import type { Ticket } from '../../../../src/domain/tickets/ticket.js';
import type { CheckIn } from '../../../../src/domain/tickets/tickets.commands.js';
import type { TicketCheckedIn } from '../../../../src/domain/tickets/tickets.events.js';
import {
  CheckInScanTooOld,
  NotStaffOfShow,
  TicketAlreadyUsed,
  TicketForOtherShow,
  TicketNotFound,
  TicketRevoked,
} from '../../../../src/domain/tickets/tickets.errors.js';
import { deciderSpec } from '../../../support/decider-spec.js';

const given = deciderSpec(checkInDecider);
const showId = '0b7c6a52-1111-4000-8000-000000000001';
const otherShow = '0b7c6a52-2222-4000-8000-000000000002';
const memberId = 'm1';
const reservationId = `${showId}.rabcdefghij012345`;
const now = new Date('2026-12-24T19:00:00.000Z');

const confirmed = (seats: string[], quantity = seats.length): HoldConfirmed => ({
  type: 'HoldConfirmed',
  data: {
    showId,
    memberId,
    holdId: `${showId}.habcdefghij012345`,
    reservationId,
    seats,
    quantity,
    total: 100,
    currency: 'EUR',
    confirmedAt: '2026-12-01T10:00:00.000Z',
  },
});
const cancelled: ReservationCancelled = {
  type: 'ReservationCancelled',
  data: {
    showId,
    memberId,
    holdId: `${showId}.habcdefghij012345`,
    reservationId,
    seats: ['A-1-1', 'A-1-2'],
    quantity: 2,
    total: 100,
    cancelledAt: '2026-12-02T10:00:00.000Z',
  },
};
const ticket = (index: number, seat: string, overrides: Partial<Ticket> = {}): Ticket => ({
  showId,
  reservationId,
  index,
  seat,
  ...overrides,
});
const checkIn = (t: Ticket, options: { gate?: string; roles?: string[]; doorShowId?: string; scannedAt?: Date } = {}): CheckIn => ({
  type: 'CheckIn',
  data: {
    ticket: t,
    gate: options.gate ?? 'North 1',
    staff: { memberId: 'staff-1', roles: options.roles ?? [`staff:${showId}`] },
    ...(options.doorShowId ? { doorShowId: options.doorShowId } : {}),
    ...(options.scannedAt ? { scannedAt: options.scannedAt } : {}),
  },
  metadata: { now },
});
const checkedIn = (t: Ticket, gate = 'North 1', at = now.toISOString()): TicketCheckedIn => ({
  type: 'TicketCheckedIn',
  data: {
    ticketId: `${t.reservationId}.${t.index}`,
    showId: t.showId,
    reservationId: t.reservationId,
    seat: t.seat,
    gate,
    staffId: 'staff-1',
    checkedInAt: at,
  },
});

describe('the check-in decider', () => {
  const reserved: CheckInFact[] = [confirmed(['A-1-1', 'A-1-2'])];

  it('when a valid, unused ticket is scanned by staff of its show, then it is checked in at that gate', () => {
    given(reserved)
      .when(checkIn(ticket(2, 'A-1-2')))
      .then([checkedIn(ticket(2, 'A-1-2'))]);
  });

  it('when staff of every show or an admin scans it, then it is checked in', () => {
    given(reserved)
      .when(checkIn(ticket(1, 'A-1-1'), { roles: ['staff'] }))
      .then([checkedIn(ticket(1, 'A-1-1'))]);
    given(reserved)
      .when(checkIn(ticket(1, 'A-1-1'), { roles: ['admin'] }))
      .then([checkedIn(ticket(1, 'A-1-1'))]);
  });

  it('when the ticket was checked in already, then it is TICKET.ALREADY_USED with when and at which gate', () => {
    const earlier = checkedIn(ticket(1, 'A-1-1'), 'South 3', '2026-12-24T18:55:00.000Z');
    given([...reserved, earlier])
      .when(checkIn(ticket(1, 'A-1-1')))
      .thenThrows(TicketAlreadyUsed, 'TICKET.ALREADY_USED');
    const state = [...reserved, earlier].reduce(checkInDecider.evolve, checkInDecider.initialState());
    expect(() => checkInDecider.decide(checkIn(ticket(1, 'A-1-1')), state))
      .to.throw(TicketAlreadyUsed)
      .with.deep.property('details', { ticketId: `${reservationId}.1`, checkedInAt: '2026-12-24T18:55:00.000Z', gate: 'South 3' });
  });

  it('when another ticket of the same reservation was checked in, then this one still gets in', () => {
    given([...reserved, checkedIn(ticket(1, 'A-1-1'))])
      .when(checkIn(ticket(2, 'A-1-2')))
      .then([checkedIn(ticket(2, 'A-1-2'))]);
  });

  it('when the reservation was cancelled, then its tickets are TICKET.REVOKED', () => {
    given([...reserved, cancelled])
      .when(checkIn(ticket(1, 'A-1-1')))
      .thenThrows(TicketRevoked, 'TICKET.REVOKED');
  });

  it('when the reservation is unknown, then it is TICKET.NOT_FOUND', () => {
    given([])
      .when(checkIn(ticket(1, 'A-1-1')))
      .thenThrows(TicketNotFound, 'TICKET.NOT_FOUND');
  });

  it('when the code names a place the reservation lacks or another seat, then it is TICKET.NOT_FOUND', () => {
    given(reserved)
      .when(checkIn(ticket(3, 'A-1-3')))
      .thenThrows(TicketNotFound, 'TICKET.NOT_FOUND');
    given(reserved)
      .when(checkIn(ticket(1, 'A-1-2')))
      .thenThrows(TicketNotFound, 'TICKET.NOT_FOUND');
  });

  it('when the scanner is not staff of the ticket’s show, then it is CHECKIN.NOT_STAFF', () => {
    given(reserved)
      .when(checkIn(ticket(1, 'A-1-1'), { roles: [`staff:${otherShow}`] }))
      .thenThrows(NotStaffOfShow, 'CHECKIN.NOT_STAFF');
    given(reserved)
      .when(checkIn(ticket(1, 'A-1-1'), { roles: [] }))
      .thenThrows(NotStaffOfShow, 'CHECKIN.NOT_STAFF');
  });

  it('when the door admits to another show, then it is TICKET.WRONG_SHOW', () => {
    given(reserved)
      .when(checkIn(ticket(1, 'A-1-1'), { roles: ['staff'], doorShowId: otherShow }))
      .thenThrows(TicketForOtherShow, 'TICKET.WRONG_SHOW');
  });

  it('when a general-admission reservation of 3 is scanned, then tickets 1 to 3 are GA and a 4th does not exist', () => {
    const ga = [confirmed([], 3)];
    given(ga)
      .when(checkIn(ticket(3, 'GA')))
      .then([checkedIn(ticket(3, 'GA'))]);
    given(ga)
      .when(checkIn(ticket(4, 'GA')))
      .thenThrows(TicketNotFound);
  });

  describe('an offline scan sent later', () => {
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

    it('when it is sent within a day, then it is recorded at the time of the scan, and when it was synced', () => {
      const scannedAt = minutesAgo(42);
      given(reserved)
        .when(checkIn(ticket(1, 'A-1-1'), { scannedAt }))
        .then([
          {
            ...checkedIn(ticket(1, 'A-1-1'), 'North 1', scannedAt.toISOString()),
            data: { ...checkedIn(ticket(1, 'A-1-1'), 'North 1', scannedAt.toISOString()).data, syncedAt: now.toISOString() },
          },
        ]);
    });

    it('when the scanner’s clock is ahead, then the scan counts as now', () => {
      const admitted = checkedIn(ticket(1, 'A-1-1'));
      given(reserved)
        .when(checkIn(ticket(1, 'A-1-1'), { scannedAt: minutesAgo(-5) }))
        .then([{ ...admitted, data: { ...admitted.data, syncedAt: now.toISOString() } }]);
    });

    it('when it is more than a day old, then it is CHECKIN.SCAN_TOO_OLD; a ticket used meanwhile is still TICKET.ALREADY_USED', () => {
      given(reserved)
        .when(checkIn(ticket(1, 'A-1-1'), { scannedAt: minutesAgo(24 * 60 + 1) }))
        .thenThrows(CheckInScanTooOld);
      given([...reserved, checkedIn(ticket(1, 'A-1-1'))])
        .when(checkIn(ticket(1, 'A-1-1'), { scannedAt: minutesAgo(24 * 60 + 1) }))
        .thenThrows(TicketAlreadyUsed);
    });
  });
});
