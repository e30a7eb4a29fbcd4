import type { Decider, DomainEvent } from '../domain/shared/decider.js';
import type { Clock } from './ports/clock.js';
import type { EventStore } from './ports/event-store.js';

interface Entry<S> {
  state: S;
  version: number;
  readAt: number;
  loading?: Promise<S>;
}

/**
 * States of small streams read often (a show, a show's waiting list), folded from the stream and
 * kept for a while (`maxAgeOf` the state); a refresh reads only the events after the version it
 * has, and callers that ask during a read share it. At most 10,000 are kept.
 */
export class RecentStreamStates<S> {
  private readonly entries = new Map<string, Entry<S>>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly decider: Pick<Decider<S, unknown, DomainEvent>, 'initialState' | 'evolve'>,
    private readonly streamIdOf: (key: string) => string,
    private readonly maxAgeOf: (state: S) => number,
  ) {}

  async get(key: string): Promise<S> {
    const entry = this.entries.get(key);
    if (entry && this.clock.now().getTime() - entry.readAt < this.maxAgeOf(entry.state)) return entry.state;
    if (entry?.loading) return entry.loading;
    const loading = this.refresh(key, entry);
    this.entries.set(key, { ...(entry ?? { state: this.decider.initialState(), version: 0, readAt: 0 }), loading });
    return loading;
  }

  /** The version of the stream that the kept state is at (0 when none is kept). */
  versionOf(key: string): number {
    return this.entries.get(key)?.version ?? 0;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private async refresh(key: string, entry: Entry<S> | undefined): Promise<S> {
    let state = entry?.state ?? this.decider.initialState();
    let version = entry?.version ?? 0;
    try {
      for (const event of await this.store.readStream(this.streamIdOf(key), version + 1)) {
        state = this.decider.evolve(state, { type: event.type, data: event.data });
        version = event.version;
      }
      this.entries.set(key, { state, version, readAt: this.clock.now().getTime() });
      if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value as string);
      return state;
    } catch (error) {
      this.entries.delete(key);
      throw error;
    }
  }
}
