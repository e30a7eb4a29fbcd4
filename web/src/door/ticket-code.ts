/**
 * A ticket code as the server signs it (`src/domain/tickets/ticket-code.ts`):
 * `<kid>.<showId>.r<key>.<index>.<seat>.<signature>`, the signature (Ed25519, base64url) over
 * everything before the last dot. Kept in step with the server's by `tests/unit/web/door.spec.ts`.
 */
const CODE =
  /^([a-z0-9]{1,32})\.([0-9a-f-]{36})\.(r[0-9a-z]{16,32})\.([1-9][0-9]{0,3})\.(GA|[A-Za-z0-9]{1,8}-[0-9]{1,4}-[0-9]{1,4})\.([A-Za-z0-9_-]{86})$/;

export interface ScannedCode {
  code: string;
  kid: string;
  showId: string;
  reservationId: string;
  ticketId: string;
  seat: string;
  /** The signed text and its signature. */
  message: string;
  signature: string;
}

/** The parts of a code, or undefined when it is not a ticket code at all. */
export function parseTicketCode(raw: string): ScannedCode | undefined {
  const code = raw.trim();
  const match = CODE.exec(code);
  if (!match) return undefined;
  const [, kid, showId, key, index, seat, signature] = match as unknown as string[];
  const reservationId = `${showId}.${key}`;
  return {
    code,
    kid: kid!,
    showId: showId!,
    reservationId,
    ticketId: `${reservationId}.${index}`,
    seat: seat!,
    message: code.slice(0, code.length - signature!.length - 1),
    signature: signature!,
  };
}
