import { TicketCodeMalformed } from './tickets.errors.js';
import type { Ticket } from './ticket.js';

/**
 * A ticket code: `<kid>.<showId>.r<key>.<index>.<seat>.<signature>`, where the signature
 * (Ed25519, base64url) covers everything before the last dot. The reservation id is
 * `<showId>.r<key>`, so the show is written once. About 170 characters: a small QR code.
 */
const CODE =
  /^([a-z0-9]{1,32})\.([0-9a-f-]{36})\.(r[0-9a-z]{16,32})\.([1-9][0-9]{0,3})\.(GA|[A-Za-z0-9]{1,8}-[0-9]{1,4}-[0-9]{1,4})\.([A-Za-z0-9_-]{86})$/;

export interface ParsedTicketCode {
  kid: string;
  ticket: Ticket;
  /** The text the signature covers. */
  message: string;
  signature: string;
}

/** The signed part of a code for this ticket under key `kid`. */
export function ticketMessage(kid: string, ticket: Ticket): string {
  const key = ticket.reservationId.slice(ticket.showId.length + 1);
  return `${kid}.${ticket.showId}.${key}.${ticket.index}.${ticket.seat}`;
}

export const ticketCode = (message: string, signature: string) => `${message}.${signature}`;

/** Reads a code's parts (no signature check); a code of another shape is TICKET.MALFORMED. */
export function parseTicketCode(code: string): ParsedTicketCode {
  const match = CODE.exec(code);
  if (!match) throw new TicketCodeMalformed();
  const [, kid, showId, key, index, seat, signature] = match as unknown as string[];
  return {
    kid: kid!,
    ticket: { showId: showId!, reservationId: `${showId}.${key}`, index: Number(index), seat: seat! },
    message: code.slice(0, code.length - signature!.length - 1),
    signature: signature!,
  };
}
