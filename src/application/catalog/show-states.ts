import { inject, injectable } from 'tsyringe';
import { showDecider, showStreamId, type ShowState } from '../../domain/catalog/show.decider.js';
import type { ShowEvent } from '../../domain/catalog/show.events.js';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';

interface Entry {
  state: ShowState;
  version: number;
  readAt: number;
  loading?: Promise<ShowState>;
}

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
  private readonly entries = new Map<string, Entry>();
  maxAgeMs = 1000;
  /** A show not found yet may be scheduled by another process any moment. */
  missingMaxAgeMs = 200;

  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    private readonly feed?: ShowChangeFeed,
  ) {
    feed?.listen((showId) => this.entries.delete(showId));
  }

  async get(showId: string): Promise<ShowState> {
    const entry = this.entries.get(showId);
    const maxAge = entry?.state.exists ? this.maxAgeMs : this.missingMaxAgeMs;
    if (entry && this.clock.now().getTime() - entry.readAt < maxAge) return entry.state;
    if (entry?.loading) return entry.loading;
    const loading = this.refresh(showId, entry);
    this.entries.set(showId, { ...(entry ?? { state: showDecider.initialState(), version: 0, readAt: 0 }), loading });
    return loading;
  }

  /** The version of the show's stream that the cached state is at (0 when none is cached). */
  versionOf(showId: string): number {
    return this.entries.get(showId)?.version ?? 0;
  }

  /** Drops the cached state (another process changed the show). */
  forget(showId: string): void {
    this.entries.delete(showId);
  }

  /** This process changed the show: drops the cached state here and, through the change feed, in every process. */
  changed(showId: string): void {
    this.entries.delete(showId);
    this.feed?.announce(showId);
  }

  private async refresh(showId: string, entry: Entry | undefined): Promise<ShowState> {
    let state = entry?.state ?? showDecider.initialState();
    let version = entry?.version ?? 0;
    try {
      for (const event of await this.store.readStream(showStreamId(showId), version + 1)) {
        state = showDecider.evolve(state, { type: event.type, data: event.data } as ShowEvent);
        version = event.version;
      }
      this.entries.set(showId, { state, version, readAt: this.clock.now().getTime() });
      if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value as string);
      return state;
    } catch (error) {
      this.entries.delete(showId);
      throw error;
    }
  }
}
