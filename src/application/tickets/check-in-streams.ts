import { ledgerStreamId, type LedgerEvent } from '../../domain/booking/booking.events.js';
import { checkInDecider, type CheckInFact, type CheckInState } from '../../domain/tickets/check-in.decider.js';
import { ticketStreamId, type TicketEvent } from '../../domain/tickets/tickets.events.js';
import type { EventStore } from '../ports/event-store.js';

export interface LoadedCheckIns {
  state: CheckInState;
  ledger: { streamId: string; version: number };
  tickets: { streamId: string; version: number };
}

/**
 * Reads what a reservation's check-ins are decided on: its events in the member's ledger
 * (`bookings-<showId>-<memberId>`, a handful) and its tickets stream, each with its version.
 */
export async function loadCheckIns(store: EventStore, showId: string, memberId: string, reservationId: string): Promise<LoadedCheckIns> {
  const ledgerId = ledgerStreamId(showId, memberId);
  const ticketsId = ticketStreamId(reservationId);
  const [ledgerEvents, ticketEvents] = await Promise.all([store.readStream(ledgerId), store.readStream(ticketsId)]);
  let state = checkInDecider.initialState();
  for (const recorded of ledgerEvents) {
    const event = recorded as unknown as LedgerEvent;
    if ((event.type === 'HoldConfirmed' || event.type === 'ReservationCancelled') && event.data.reservationId === reservationId) {
      state = checkInDecider.evolve(state, event);
    }
  }
  for (const recorded of ticketEvents) state = checkInDecider.evolve(state, recorded as unknown as TicketEvent as CheckInFact);
  return {
    state,
    ledger: { streamId: ledgerId, version: ledgerEvents.at(-1)?.version ?? 0 },
    tickets: { streamId: ticketsId, version: ticketEvents.at(-1)?.version ?? 0 },
  };
}
