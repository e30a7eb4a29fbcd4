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
    /** When the door admitted it: the scan's time for an offline scan sent later, else when it was decided. */
    checkedInAt: string;
    /** Set for an offline scan: when the server recorded it. */
    syncedAt?: string;
  }
>;

export type TicketEvent = TicketCheckedIn;

export const ticketStreamId = (reservationId: string) => `tickets-${reservationId}`;
