import { ledgerStreamId, type LedgerEvent } from '../../domain/booking/booking.events.js';
import { checkInDecider, type CheckInState } from '../../domain/tickets/check-in.decider.js';
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
  const [ledgerEvents, tickets] = await Promise.all([store.readStream(ledgerId), readTickets(store, reservationId)]);
  let state = checkInDecider.initialState();
  for (const recorded of ledgerEvents) {
    const event = recorded as unknown as LedgerEvent;
    if ((event.type === 'HoldConfirmed' || event.type === 'ReservationCancelled') && event.data.reservationId === reservationId) {
      state = checkInDecider.evolve(state, event);
    }
  }
  for (const event of tickets.events) state = checkInDecider.evolve(state, event);
  return {
    state,
    ledger: { streamId: ledgerId, version: ledgerEvents.at(-1)?.version ?? 0 },
    tickets: { streamId: tickets.streamId, version: tickets.version },
  };
}

/** A reservation's tickets stream `tickets-<reservationId>`: its check-ins and its version (0: none yet). */
export async function readTickets(
  store: EventStore,
  reservationId: string,
): Promise<{ streamId: string; version: number; events: TicketEvent[] }> {
  const streamId = ticketStreamId(reservationId);
  const recorded = await store.readStream(streamId);
  return { streamId, version: recorded.at(-1)?.version ?? 0, events: recorded as unknown as TicketEvent[] };
}
