import type { HoldConfirmed, ReservationCancelled } from '../booking/booking.events.js';
import type { Decider } from '../shared/decider.js';
import { mayCheckIn } from './staff-role.js';
import { ticketIdOf, ticketsOf, type Ticket } from './ticket.js';
import type { CheckIn, TicketCommand } from './tickets.commands.js';
import type { TicketCheckedIn } from './tickets.events.js';
import {
  CheckInScanTooOld,
  NotStaffOfShow,
  TicketAlreadyUsed,
  TicketForOtherShow,
  TicketNotFound,
  TicketRevoked,
} from './tickets.errors.js';

/**
 * What a check-in is decided on: the reservation's own events from the member's booking ledger
 * (confirmed, maybe cancelled) and the check-ins of its tickets stream. The handler appends with
 * the expected version of both streams, so a cancel or another gate's check-in in between makes
 * it decide again.
 */
export type CheckInFact = HoldConfirmed | ReservationCancelled | TicketCheckedIn;

export interface CheckInState {
  reservation?: { showId: string; reservationId: string; seats: string[]; quantity: number; cancelled: boolean };
  /** Check-ins by ticket id. */
  checkedIn: Map<string, { checkedInAt: string; gate: string }>;
}

export const checkInDecider: Decider<CheckInState, TicketCommand, CheckInFact> = {
  initialState: () => ({ checkedIn: new Map() }),
  evolve,
  decide,
};

function decide(command: TicketCommand, state: CheckInState): TicketCheckedIn[] {
  switch (command.type) {
    case 'CheckIn':
      return checkIn(command, state);
    default: {
      const never: never = command.type;
      throw new Error(`Unknown command ${JSON.stringify(never)}`);
    }
  }
}

function checkIn({ data, metadata }: CheckIn, state: CheckInState): TicketCheckedIn[] {
  const { ticket, gate, staff, doorShowId } = data;
  const ticketId = ticketIdOf(ticket);
  if (!mayCheckIn(staff.roles, ticket.showId)) throw new NotStaffOfShow(ticket.showId);
  if (doorShowId !== undefined && doorShowId !== ticket.showId) throw new TicketForOtherShow(ticket.showId, doorShowId);
  const reservation = state.reservation;
  if (!reservation || !isTicketOf(ticket, reservation)) throw new TicketNotFound(ticketId);
  if (reservation.cancelled) throw new TicketRevoked(ticketId);
  const used = state.checkedIn.get(ticketId);
  if (used) throw new TicketAlreadyUsed(ticketId, used.checkedInAt, used.gate);
  const { showId, reservationId, seat } = ticket;
  const checkedInAt = admittedAt(data.scannedAt, metadata.now);
  return [
    {
      type: 'TicketCheckedIn',
      data: {
        ticketId,
        showId,
        reservationId,
        seat,
        gate,
        staffId: staff.memberId,
        checkedInAt: checkedInAt.toISOString(),
        ...(data.scannedAt ? { syncedAt: metadata.now.toISOString() } : {}),
      },
    },
  ];
}

/** Offline scans are recorded at their own time if sent within a day; a device clock ahead of ours counts as now. */
export const OFFLINE_SCAN_MAX_AGE_HOURS = 24;

function admittedAt(scannedAt: Date | undefined, now: Date): Date {
  if (!scannedAt || scannedAt > now) return now;
  if (now.getTime() - scannedAt.getTime() > OFFLINE_SCAN_MAX_AGE_HOURS * 3600_000) {
    throw new CheckInScanTooOld(scannedAt.toISOString(), OFFLINE_SCAN_MAX_AGE_HOURS);
  }
  return scannedAt;
}

/** The code names a ticket the reservation has: same show, a place it has, the seat at that place. */
function isTicketOf(ticket: Ticket, reservation: NonNullable<CheckInState['reservation']>): boolean {
  if (reservation.reservationId !== ticket.reservationId || reservation.showId !== ticket.showId) return false;
  const issued = ticketsOf(reservation)[ticket.index - 1];
  return issued !== undefined && issued.seat === ticket.seat;
}

function evolve(state: CheckInState, event: CheckInFact): CheckInState {
  switch (event.type) {
    case 'HoldConfirmed': {
      const { showId, reservationId, seats, quantity } = event.data;
      return { ...state, reservation: { showId, reservationId, seats, quantity, cancelled: false } };
    }
    case 'ReservationCancelled':
      return state.reservation?.reservationId === event.data.reservationId
        ? { ...state, reservation: { ...state.reservation, cancelled: true } }
        : state;
    case 'TicketCheckedIn': {
      const checkedIn = new Map(state.checkedIn);
      checkedIn.set(event.data.ticketId, { checkedInAt: event.data.checkedInAt, gate: event.data.gate });
      return { ...state, checkedIn };
    }
    default: {
      const never: never = event;
      throw new Error(`Unknown event ${JSON.stringify(never)}`);
    }
  }
}
