import { parseTicketCode } from '../../domain/tickets/ticket-code.js';
import type { Ticket } from '../../domain/tickets/ticket.js';
import type { TicketSigner } from '../ports/ticket-signer.js';

/** The ticket a code names, once its shape and signature check out (else a TICKET.* error). */
export async function verifyTicketCode(signer: TicketSigner, code: string): Promise<Ticket> {
  const parsed = parseTicketCode(code);
  await signer.verify(parsed.kid, parsed.message, parsed.signature);
  return parsed.ticket;
}
