import { inject, injectable } from 'tsyringe';
import { showDecider, showStreamId, type ShowState } from '../../domain/catalog/show.decider.js';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import { RecentStreamStates } from '../recent-stream-states.js';
import { TOKENS } from '../tokens.js';

/** Where processes tell each other that a show changed (best effort: the second's bound still holds). */
export interface ShowChangeFeed {
  announce(showId: string): void;
  listen(listener: (showId: string) => void): void;
}

/**
 * Show states for the booking commands, read from the show's stream and kept for a second: sale
 * changes made in another process apply within that second (the unsafe ones are refused anyway),
 * and at once where the change feed carries the news.
 */
@injectable()
export class ShowStates {
  maxAgeMs = 1000;
  /** A show not found yet may be scheduled by another process any moment. */
  missingMaxAgeMs = 200;
  private readonly states: RecentStreamStates<ShowState>;

  constructor(
    @inject(TOKENS.EventStore) store: EventStore,
    @inject(TOKENS.Clock) clock: Clock,
    private readonly feed?: ShowChangeFeed,
  ) {
    this.states = new RecentStreamStates(store, clock, showDecider, showStreamId, (state) =>
      state.exists ? this.maxAgeMs : this.missingMaxAgeMs,
    );
    feed?.listen((showId) => this.states.forget(showId));
  }

  get(showId: string): Promise<ShowState> {
    return this.states.get(showId);
  }

  /** The version of the show's stream that the cached state is at (0 when none is cached). */
  versionOf(showId: string): number {
    return this.states.versionOf(showId);
  }

  /** Drops the cached state (another process changed the show). */
  forget(showId: string): void {
    this.states.forget(showId);
  }

  /** This process changed the show: drops the cached state here and, through the change feed, in every process. */
  changed(showId: string): void {
    this.states.forget(showId);
    this.feed?.announce(showId);
  }
}
