import { ledgerStreamId } from '../../domain/booking/booking.events.js';
import type { LedgerHold } from '../../domain/booking/ledger.state.js';
import type { BookingStreams } from './booking-streams.js';

/**
 * Finds a hold in the member's ledger (a hold's parts never change, so a cached ledger will do
 * when it has the hold; otherwise it is re-read once). Undefined: not this member's hold.
 */
export async function findHold(
  streams: BookingStreams,
  showId: string,
  memberId: string,
  match: (hold: LedgerHold) => boolean,
): Promise<LedgerHold | undefined> {
  const streamId = ledgerStreamId(showId, memberId);
  const find = (holds: Iterable<LedgerHold>) => [...holds].find(match);
  return find((await streams.ledger(streamId)).holds.values()) ?? find((await streams.ledger(streamId, true)).holds.values());
}
