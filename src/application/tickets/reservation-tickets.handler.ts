import { inject, injectable } from 'tsyringe';
import { parseBookingRef } from '../../domain/booking/booking-ids.js';
import { ReservationNotFound } from '../../domain/booking/booking.errors.js';
import { ticketCode, ticketMessage } from '../../domain/tickets/ticket-code.js';
import { ticketIdOf, ticketsOf } from '../../domain/tickets/ticket.js';
import type { EventStore } from '../ports/event-store.js';
import type { TicketSigner } from '../ports/ticket-signer.js';
import { TOKENS } from '../tokens.js';
import { loadCheckIns } from './check-in-streams.js';

export interface TicketView {
  ticketId: string;
  seat: string;
  /** The signed code (absent once the reservation is cancelled). */
  code?: string;
  checkedInAt?: string;
  gate?: string;
}

export interface ReservationTickets {
  reservationId: string;
  showId: string;
  status: 'valid' | 'revoked';
  tickets: TicketView[];
}

/**
 * The owner's tickets of a reservation, read from their own ledger (so a reservation confirmed a
 * moment ago is there) and signed with the current key: a code under a retired key is replaced
 * the next time the page is opened.
 */
@injectable()
export class ReservationTicketsHandler {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.TicketSigner) private readonly signer: TicketSigner,
  ) {}

  async handle(input: { reservationId: string; memberId: string }): Promise<ReservationTickets> {
    const { reservationId, memberId } = input;
    const ref = parseBookingRef(reservationId, 'r');
    if (!ref) throw new ReservationNotFound(reservationId);
    const { state } = await loadCheckIns(this.store, ref.showId, memberId, reservationId);
    const reservation = state.reservation;
    if (!reservation) throw new ReservationNotFound(reservationId);
    const key = reservation.cancelled ? undefined : await this.signer.current();
    const tickets = ticketsOf(reservation).map((ticket): TicketView => {
      const ticketId = ticketIdOf(ticket);
      const used = state.checkedIn.get(ticketId);
      const message = key && ticketMessage(key.kid, ticket);
      return {
        ticketId,
        seat: ticket.seat,
        ...(key && message ? { code: ticketCode(message, key.sign(message)) } : {}),
        ...(used ? { checkedInAt: used.checkedInAt, gate: used.gate } : {}),
      };
    });
    return { reservationId, showId: reservation.showId, status: reservation.cancelled ? 'revoked' : 'valid', tickets };
  }
}
