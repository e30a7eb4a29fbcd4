import type { DomainEvent } from '../shared/decider.js';

/**
 * Check-ins live in `tickets-<reservationId>`: one stream per reservation, so the gates of a big
 * show write to many small streams and contend only when one party's tickets meet at two gates.
 */
export type TicketCheckedIn = DomainEvent<
  'TicketCheckedIn',
  {
    ticketId: string;
    showId: string;
    reservationId: string;
    seat: string;
    gate: string;
    staffId: string;
    checkedInAt: string;
  }
>;

export type TicketEvent = TicketCheckedIn;

export const ticketStreamId = (reservationId: string) => `tickets-${reservationId}`;
