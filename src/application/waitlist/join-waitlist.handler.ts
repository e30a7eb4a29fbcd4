import { inject, injectable } from 'tsyringe';
import { inventoryStreamId, ledgerStreamId } from '../../domain/booking/booking.events.js';
import { ticketsCounted } from '../../domain/booking/ledger.state.js';
import type { InventoryState } from '../../domain/booking/inventory.state.js';
import { ShowNotFound } from '../../domain/catalog/catalog.errors.js';
import { ticketsOnSale } from '../../domain/waitlist/tickets-on-sale.js';
import { placeOf } from '../../domain/waitlist/waitlist.state.js';
import { BookingStreams } from '../booking/booking-streams.js';
import type { ShowStates } from '../catalog/show-states.js';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';
import { decideOnWaitlist } from './waitlist-stream.js';

/**
 * Puts a member on a sold-out show's waiting list, at the back. Sold out is read from the
 * inventory streams themselves (not a lagging read model): a free seat means buy it instead.
 */
@injectable()
export class JoinWaitlistHandler {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.ShowStates) private readonly shows: ShowStates,
    @inject(BookingStreams) private readonly streams: BookingStreams,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async handle(input: { showId: string; memberId: string; quantity?: number }): Promise<{ place: number; quantity: number }> {
    const { showId, memberId } = input;
    const show = await this.shows.get(showId);
    if (!show.exists) throw new ShowNotFound(showId);
    const ids = show.parts.map((p) => inventoryStreamId(showId, p.part));
    const loaded = await this.streams.load(ids, new Set(ids));
    const inventory = new Map(show.parts.map((p, i) => [p.part, loaded.working.get(ids[i]!) as InventoryState]));
    const now = this.clock.now();
    const quantity = input.quantity ?? 1;
    const available = ticketsOnSale(show.parts, inventory, now.getTime());
    const { maxTicketsPerMember } = show.show;
    const counted = ticketsCounted(await this.streams.ledger(ledgerStreamId(showId, memberId), true), now.getTime());
    const { state } = await decideOnWaitlist(this.store, showId, () => [
      { type: 'JoinWaitlist', showId, memberId, quantity, available, maxTicketsPerMember, ticketsCounted: counted, now },
    ]);
    return { place: placeOf(state, memberId)!, quantity };
  }
}
