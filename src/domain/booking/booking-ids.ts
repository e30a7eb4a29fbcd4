/**
 * Hold and reservation ids carry their show, so a request naming only the hold finds the member's
 * ledger stream without a look-up in a (lagging) read model: `<showId>.h<key>` and `<showId>.r<key>`.
 */
const REF = /^([0-9a-f-]{36})\.([hr])([0-9a-z]{16,32})$/;

export const holdIdOf = (showId: string, key: string) => `${showId}.h${key}`;
export const reservationIdOf = (holdId: string) => holdId.replace(/\.h([0-9a-z]+)$/, '.r$1');
export const holdIdOfReservation = (reservationId: string) => reservationId.replace(/\.r([0-9a-z]+)$/, '.h$1');

export function parseBookingRef(id: string, kind: 'h' | 'r'): { showId: string } | undefined {
  const match = REF.exec(id);
  return match && match[2] === kind ? { showId: match[1]! } : undefined;
}
