import { inject, injectable } from 'tsyringe';
import { waitlistDecider } from '../../domain/waitlist/waitlist.decider.js';
import { waitlistStreamId } from '../../domain/waitlist/waitlist.events.js';
import { waitingCount, type WaitlistState } from '../../domain/waitlist/waitlist.state.js';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import { RecentStreamStates } from '../recent-stream-states.js';
import { TOKENS } from '../tokens.js';

/**
 * Waiting lists as the hold handler needs them (is anybody waiting?), read from the list's stream
 * and kept for `maxAgeMs` (new events only on a refresh). A member who joined within that time may
 * not be seen yet: the window docs/waitlist.md names.
 */
@injectable()
export class WaitlistStates {
  maxAgeMs = 1000;
  private readonly states: RecentStreamStates<WaitlistState>;

  constructor(@inject(TOKENS.EventStore) store: EventStore, @inject(TOKENS.Clock) clock: Clock) {
    this.states = new RecentStreamStates(store, clock, waitlistDecider, waitlistStreamId, () => this.maxAgeMs);
  }

  /**
   * What an ordinary hold must leave to the list: the members waiting (not counting those with an
   * offer open), and the seats of the offers open now, whose holds the reactor places only after
   * recording the offer (in between, the seats look free).
   */
  async claims(showId: string): Promise<{ waiting: number; offeredSeats: Set<string> }> {
    const state = await this.states.get(showId);
    return { waiting: waitingCount(state), offeredSeats: new Set([...state.offers.values()].flatMap((offer) => offer.seats)) };
  }
}
