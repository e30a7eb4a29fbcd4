import type { ScannedCode } from './ticket-code.js';

/** What the scanner keeps of a show to decide at the door without the network (GET /api/shows/:id/door-list). */
export interface DoorList {
  showId: string;
  asOf: string;
  keys: Array<{ kid: string; x: string }>;
  revokedReservations: string[];
  admitted: Array<{ ticketId: string; gate: string; checkedInAt: string }>;
}

/** A scan this device made: kept in IndexedDB until the server has decided it. */
export interface Scan {
  id: string;
  code: string;
  ticketId: string;
  showId: string;
  seat: string;
  gate: string;
  scannedAt: string;
  /** queued: admitted here offline, not yet sent; synced: the server admitted it; conflict: the server refused it at sync. */
  state: 'queued' | 'synced' | 'conflict';
  /** For a conflict: the server's code and where and when the ticket was used. */
  problem?: { code: string; gate?: string; checkedInAt?: string };
}

export type Refusal =
  | { code: 'TICKET.MALFORMED' }
  | { code: 'TICKET.FORGED' }
  | { code: 'TICKET.UNKNOWN_KEY' }
  | { code: 'TICKET.WRONG_SHOW' }
  | { code: 'TICKET.REVOKED' }
  | { code: 'TICKET.ALREADY_USED'; gate: string; checkedInAt: string };

/**
 * The door's offline decision on a code whose signature was checked (`signatureValid`, or
 * undefined when no kept key has its kid): refused with the server's own codes, or undefined when
 * nothing this device knows stands against admitting it.
 */
export function refusalOffline(
  scanned: ScannedCode,
  signatureValid: boolean | undefined,
  doorShowId: string,
  list: DoorList,
  scans: readonly Scan[],
): Refusal | undefined {
  if (signatureValid === undefined) return { code: 'TICKET.UNKNOWN_KEY' };
  if (!signatureValid) return { code: 'TICKET.FORGED' };
  if (scanned.showId !== doorShowId) return { code: 'TICKET.WRONG_SHOW' };
  if (list.revokedReservations.includes(scanned.reservationId)) return { code: 'TICKET.REVOKED' };
  const here = scans.find((scan) => scan.ticketId === scanned.ticketId && scan.state !== 'conflict');
  if (here) return { code: 'TICKET.ALREADY_USED', gate: here.gate, checkedInAt: here.scannedAt };
  const elsewhere = list.admitted.find((admitted) => admitted.ticketId === scanned.ticketId);
  if (elsewhere) return { code: 'TICKET.ALREADY_USED', gate: elsewhere.gate, checkedInAt: elsewhere.checkedInAt };
  return undefined;
}
