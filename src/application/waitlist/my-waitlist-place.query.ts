import { inject, injectable } from 'tsyringe';
import { NotOnWaitlist } from '../../domain/waitlist/waitlist.errors.js';
import { placeOf, waitingCount } from '../../domain/waitlist/waitlist.state.js';
import { BookingStreams } from '../booking/booking-streams.js';
import { findHold } from '../booking/find-hold.js';
import type { EventStore } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';
import { loadWaitlist } from './waitlist-stream.js';

export interface WaitlistPlace {
  showId: string;
  /** 1 = next in line; 0 while an offer is open to the member. */
  place: number;
  quantity: number;
  joinedAt: string;
  /** Members waiting (not counting those with an offer open). */
  waiting: number;
  offer?: { holdId: string; seats: string[]; quantity: number; expiresAt: string };
}

/** A member's place on a show's list, and their open offer: from the list's stream (read your writes). */
@injectable()
export class MyWaitlistPlaceQuery {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(BookingStreams) private readonly streams: BookingStreams,
  ) {}

  async handle(input: { showId: string; memberId: string }): Promise<WaitlistPlace> {
    const { state } = await loadWaitlist(this.store, input.showId);
    const place = placeOf(state, input.memberId);
    const entry = state.entries.find((e) => e.memberId === input.memberId);
    if (place === undefined || !entry) throw new NotOnWaitlist();
    const open = entry.holdId ? state.offers.get(entry.holdId) : undefined;
    // the offer is recorded a moment before its hold is placed: shown once the member can confirm it
    const held = open && (await findHold(this.streams, input.showId, input.memberId, (h) => h.holdId === open.holdId));
    return {
      showId: input.showId,
      place,
      quantity: entry.quantity,
      joinedAt: entry.joinedAt,
      waiting: waitingCount(state),
      ...(open && held ? { offer: { holdId: open.holdId, seats: open.seats, quantity: open.quantity, expiresAt: open.expiresAt } } : {}),
    };
  }

  /** For the box office: how many wait, and how many offers are open. */
  async size(showId: string): Promise<{ showId: string; waiting: number; offered: number }> {
    const { state } = await loadWaitlist(this.store, showId);
    return { showId, waiting: waitingCount(state), offered: state.offers.size };
  }
}
