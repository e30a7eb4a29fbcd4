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

/**
 * A code whose signature does not verify (or names no published key) was scanned at a gate: an
 * alert for the organizer. `showId` is the show it is counted for: the door's own show when the
 * scanner names one, else the show the code claims when that show exists, else `unattributed`.
 */
export type ForgedTicketScanned = DomainEvent<
  'ForgedTicketScanned',
  {
    showId: string;
    /** The show the code claims (any id a forger wrote), when the code has a ticket's shape. */
    claimedShowId?: string;
    gate: string;
    staffId: string;
    /** TICKET.FORGED or TICKET.UNKNOWN_KEY. */
    reason: string;
    scannedAt: string;
  }
>;

/** Forged scans are counted, not decided on: `door-alerts-<showId>`, one stream per show. */
export const doorAlertsStreamId = (showId: string) => `door-alerts-${showId}`;
export const UNATTRIBUTED_SHOW = 'unattributed';

export const ticketStreamId = (reservationId: string) => `tickets-${reservationId}`;
