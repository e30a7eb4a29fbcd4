import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  RecordedEvent,
  StreamAppend,
  StreamState,
} from '../../../application/ports/event-store.js';
import { LocalAppendNotifier, type AppendNotifier } from '../append-notifier.js';
import { planBatch, resultOf, type StoredEventRef } from '../append-planner.js';
import { upcast } from '../event-rows.js';
import type { EventStoreOptions } from '../event-store-options.js';
import { claimMapKey, prepareAppend } from '../prepared-append.js';
import { waitForEvents } from '../wait-for-events.js';

interface StoredEvent extends StoredEventRef {
  event: RecordedEvent;
}

/** The whole port in memory, with the SQL adapters' semantics; for pure domain and application tests. */
export class InMemoryEventStore implements EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly byId = new Map<string, StoredEvent>();
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly claims = new Map<string, string>();
  private readonly notifier: AppendNotifier;

  constructor(private readonly options: EventStoreOptions = {}) {
    this.notifier = options.notifier ?? new LocalAppendNotifier();
  }

  append(streamId: string, events: NewEvent[], expected: StreamState, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expected }], options);
  }

  async appendMulti(appends: StreamAppend[], options?: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(appends, options);
    const keys = [...prepared.claims, ...prepared.releases].map((claim) => claim.key);
    const plan = planBatch([prepared], {
      versions: new Map(prepared.streams.map((s) => [s.streamId, this.streams.get(s.streamId)?.length ?? 0])),
      claimOwners: new Map(keys.filter((key) => this.claims.has(key)).map((key) => [key, this.claims.get(key)!])),
      eventsById: new Map(prepared.eventIds.filter((id) => this.byId.has(id)).map((id) => [id, this.byId.get(id)!])),
    });
    const first = this.log.length + 1;
    const result = resultOf(plan, 0, first);
    if (result instanceof Error) throw result;
    if (plan.outcomes[0].kind !== 'accepted') return result;
    for (const row of plan.claimDeletes) this.claims.delete(claimMapKey(row.scope, row.valueHash));
    for (const row of plan.claimInserts) this.claims.set(claimMapKey(row.scope, row.valueHash), row.owner);
    const recordedAt = new Date(this.options.now?.() ?? Date.now());
    for (const planned of plan.events) {
      const position = first + planned.offset;
      const event: RecordedEvent = {
        id: planned.id,
        streamId: planned.streamId,
        version: planned.version,
        position,
        type: planned.type,
        data: JSON.parse(planned.data),
        metadata: { ...JSON.parse(planned.metadata), schemaVersion: planned.schemaVersion, recordedAt },
      };
      const stored = { ...planned, position, event };
      this.log.push(stored);
      this.byId.set(planned.id, stored);
      const stream = this.streams.get(planned.streamId) ?? [];
      stream.push(stored);
      this.streams.set(planned.streamId, stream);
    }
    if (plan.events.length > 0) this.notifier.notify(this.log.length);
    return result;
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    return stream.slice(Math.max(fromVersion, 1) - 1).map((stored) => this.read(stored));
  }

  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.log.slice(Math.max(after, 0), Math.max(after, 0) + limit).map((stored) => this.read(stored));
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async headVersions(streamIds: string[]): Promise<Map<string, number>> {
    return new Map(streamIds.map((id) => [id, this.streams.get(id)?.length ?? 0]));
  }

  waitForEvents(after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return waitForEvents(() => this.headPosition(), this.notifier, after, timeoutMs, signal);
  }

  async close(): Promise<void> {
    await this.notifier.close();
  }

  private read(stored: StoredEvent): RecordedEvent {
    // Copies, so that callers cannot change what is stored.
    const event = structuredClone(stored.event);
    return upcast(event, this.options.upcasters);
  }
}
