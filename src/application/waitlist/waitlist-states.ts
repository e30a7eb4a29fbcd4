import { inject, injectable } from 'tsyringe';
import { waitlistDecider } from '../../domain/waitlist/waitlist.decider.js';
import { waitlistStreamId, type WaitlistEvent } from '../../domain/waitlist/waitlist.events.js';
import { waitingCount, type WaitlistState } from '../../domain/waitlist/waitlist.state.js';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';

interface Entry {
  state: WaitlistState;
  version: number;
  readAt: number;
  loading?: Promise<WaitlistState>;
}

/**
 * Waiting lists as the hold handler needs them (is anybody waiting?), read from the list's stream
 * and kept for `maxAgeMs` (new events only on a refresh). A member who joined within that time may
 * not be seen yet: the window docs/waitlist.md names.
 */
@injectable()
export class WaitlistStates {
  private readonly entries = new Map<string, Entry>();
  maxAgeMs = 1000;

  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  /** Members waiting (not counting those with an offer open). */
  async waiting(showId: string): Promise<number> {
    return waitingCount(await this.get(showId));
  }

  private async get(showId: string): Promise<WaitlistState> {
    const entry = this.entries.get(showId);
    if (entry && this.clock.now().getTime() - entry.readAt < this.maxAgeMs) return entry.state;
    if (entry?.loading) return entry.loading;
    const loading = this.refresh(showId, entry);
    this.entries.set(showId, { ...(entry ?? { state: waitlistDecider.initialState(), version: 0, readAt: 0 }), loading });
    return loading;
  }

  private async refresh(showId: string, entry: Entry | undefined): Promise<WaitlistState> {
    const state = entry?.state ?? waitlistDecider.initialState();
    let version = entry?.version ?? 0;
    try {
      for (const event of await this.store.readStream(waitlistStreamId(showId), version + 1)) {
        waitlistDecider.evolve(state, { type: event.type, data: event.data } as WaitlistEvent);
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
