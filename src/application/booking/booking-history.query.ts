import { inject, injectable } from 'tsyringe';
import { holdIdOfReservation, parseBookingRef } from '../../domain/booking/booking-ids.js';
import { ReservationNotFound } from '../../domain/booking/booking.errors.js';
import { inventoryStreamId, ledgerStreamId, type HoldPlaced } from '../../domain/booking/booking.events.js';
import type { EventStore, RecordedEvent } from '../ports/event-store.js';
import type { ReservationOwners } from '../ports/reservation-owners.js';
import { TOKENS } from '../tokens.js';
import type { MemberDirectory } from '../members/members.ports.js';

/** One event in the history of a seat or a reservation: what, when, who, and the request that caused it. */
export interface HistoryEntry {
  position: number;
  type: string;
  at: string;
  streamId: string;
  /** The member who acted, an admin acting for them (`onBehalfOf`), or `system` (expiry). */
  actor: string;
  /** Their names, from the members read model (absent once a member withdrew). */
  actorName?: string;
  onBehalfOf?: string;
  onBehalfOfName?: string;
  correlationId?: string;
  holdId?: string;
  reservationId?: string;
  seats?: string[];
  reason?: string;
}

type BookingData = {
  holdId?: string;
  memberId?: string;
  reservationId?: string;
  seats?: string[];
  reason?: string;
  by?: string;
  parts?: HoldPlaced['data']['parts'];
};

/**
 * The audit trail event sourcing gives: every event that touched a seat or a reservation, read from
 * the show's inventory streams and its members' ledgers, in the log's order.
 */
@injectable()
export class BookingHistoryQuery {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.ReservationOwners) private readonly owners: ReservationOwners,
    @inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory,
  ) {}

  /** Adds the names of the members who acted (one look-up per member). */
  private async named(entries: HistoryEntry[]): Promise<HistoryEntry[]> {
    const ids = [...new Set(entries.flatMap((e) => [e.actor, e.onBehalfOf ?? 'system']))].filter(
      (id) => id !== 'system' && id !== 'unknown',
    );
    const looked = await Promise.all(ids.map(async (id) => [id, (await this.directory.byId(id))?.name] as const));
    const names = new Map(looked.filter((pair): pair is readonly [string, string] => typeof pair[1] === 'string'));
    return entries.map((e) => ({
      ...e,
      ...(names.has(e.actor) ? { actorName: names.get(e.actor)! } : {}),
      ...(e.onBehalfOf && names.has(e.onBehalfOf) ? { onBehalfOfName: names.get(e.onBehalfOf)! } : {}),
    }));
  }

  /** Seat `<section>-<row>-<number>` of a reserved show: its section's events naming it, and the ledger events of those holds. */
  async ofSeat(showId: string, seatId: string): Promise<HistoryEntry[]> {
    const section = seatId.split('-')[0]!;
    const inventory = (await this.store.readStream(inventoryStreamId(showId, section))).filter((e) => dataOf(e).seats?.includes(seatId));
    const holds = new Map<string, string>();
    for (const event of inventory) {
      const { holdId, memberId } = dataOf(event);
      if (holdId && memberId) holds.set(holdId, memberId);
    }
    const ledgers = await Promise.all(
      [...new Set(holds.values())].map((memberId) => this.store.readStream(ledgerStreamId(showId, memberId))),
    );
    return this.named(entries([...inventory, ...ledgers.flat().filter((e) => holds.has(dataOf(e).holdId ?? ''))], holds));
  }

  /** A reservation: its member's ledger events of the hold behind it, and the inventory events of that hold. */
  async ofReservation(reservationId: string): Promise<HistoryEntry[]> {
    const ref = parseBookingRef(reservationId, 'r');
    const memberId = ref && (await this.owners.ownerOf(reservationId));
    if (!ref || !memberId) throw new ReservationNotFound(reservationId);
    const holdId = holdIdOfReservation(reservationId);
    const ledger = (await this.store.readStream(ledgerStreamId(ref.showId, memberId))).filter((e) => dataOf(e).holdId === holdId);
    const placed = ledger.find((e) => e.type === 'HoldPlaced');
    const parts = dataOf(placed).parts?.map((p) => p.part) ?? [];
    const inventory = await Promise.all(parts.map((part) => this.store.readStream(inventoryStreamId(ref.showId, part))));
    return this.named(entries([...ledger, ...inventory.flat().filter((e) => dataOf(e).holdId === holdId)], new Map([[holdId, memberId]])));
  }
}

function dataOf(event: RecordedEvent | undefined): BookingData {
  return (event?.data ?? {}) as BookingData;
}

function entries(events: RecordedEvent[], owners: Map<string, string>): HistoryEntry[] {
  // an admin's cancellation speaks for the seats it released as well
  const cancelledBy = new Map<string, string>();
  for (const event of events)
    if (event.type === 'ReservationCancelled' && dataOf(event).by) cancelledBy.set(dataOf(event).holdId!, dataOf(event).by!);
  const unique = new Map(events.map((event) => [event.id, event]));
  return [...unique.values()]
    .sort((a, b) => a.position - b.position || a.streamId.localeCompare(b.streamId))
    .map((event) => {
      const data = dataOf(event);
      const owner = data.memberId ?? owners.get(data.holdId ?? '');
      const admin = event.type === 'ReservationCancelled' || data.reason === 'cancelled' ? cancelledBy.get(data.holdId ?? '') : undefined;
      const system = event.type === 'HoldExpired' || (event.type === 'SeatsReleased' && data.reason === 'expired');
      return {
        position: event.position,
        type: event.type,
        at: event.metadata.recordedAt.toISOString(),
        streamId: event.streamId,
        actor: system ? 'system' : (admin ?? owner ?? 'unknown'),
        ...(admin && owner ? { onBehalfOf: owner } : {}),
        ...(typeof event.metadata.correlationId === 'string' ? { correlationId: event.metadata.correlationId } : {}),
        ...(data.holdId ? { holdId: data.holdId } : {}),
        ...(data.reservationId ? { reservationId: data.reservationId } : {}),
        ...(data.seats ? { seats: data.seats } : {}),
        // a release's reason (released, expired, cancelled) is its type's business; an admin's is theirs
        ...(event.type === 'ReservationCancelled' && typeof data.reason === 'string' ? { reason: data.reason } : {}),
      };
    });
}
