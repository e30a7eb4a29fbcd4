import type { Ticket } from './ticket.js';

/** Admit a ticket whose signature has been verified, at a gate, by a member of staff. */
export interface CheckIn {
  type: 'CheckIn';
  data: {
    ticket: Ticket;
    gate: string;
    staff: { memberId: string; roles: string[] };
    /** The show this door admits to, when the scanner says so. */
    doorShowId?: string;
    /** When the door admitted it, for a scan made offline and sent later (else now). */
    scannedAt?: Date;
  };
  metadata: { now: Date };
}

export type TicketCommand = CheckIn;
