import type { Correlation } from '../../application/ports/correlation.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  RecordedEvent,
  StreamAppend,
  StreamState,
} from '../../application/ports/event-store.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { recordAppend, type AppendOperation } from './event-store.metrics.js';

/**
 * Any adapter, with its appends timed and counted (event-store.metrics.ts) and its new events
 * given the correlation id of the work appending them (the request's id) unless the caller set
 * `correlationId` itself — to a value, or to undefined for "none" (a batch of many requests' jobs).
 */
export class InstrumentedEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly correlation: Correlation,
  ) {}

  append(streamId: string, events: NewEvent[], expected: StreamState, options?: AppendOptions): Promise<AppendResult> {
    const stamped = this.stamp(events);
    return this.timed('append', events.length, () => this.inner.append(streamId, stamped, expected, options));
  }

  appendMulti(appends: StreamAppend[], options?: AppendOptions): Promise<AppendResult> {
    const stamped = appends.map((append) => ({ ...append, events: this.stamp(append.events) }));
    const count = appends.reduce((sum, append) => sum + append.events.length, 0);
    return this.timed('append_multi', count, () => this.inner.appendMulti(stamped, options));
  }

  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, fromVersion);
  }

  readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.inner.readAll(after, limit);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  headVersions(streamIds: string[]): Promise<Map<string, number>> {
    return this.inner.headVersions(streamIds);
  }

  waitForEvents(after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.inner.waitForEvents(after, timeoutMs, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private stamp(events: NewEvent[]): NewEvent[] {
    const correlationId = this.correlation.current();
    if (correlationId === undefined) return events;
    return events.map((event) =>
      event.metadata && 'correlationId' in event.metadata ? event : { ...event, metadata: { ...event.metadata, correlationId } },
    );
  }

  private async timed(operation: AppendOperation, events: number, append: () => Promise<AppendResult>): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await append();
      recordAppend(operation, 'ok', seconds(), events);
      return result;
    } catch (error) {
      recordAppend(operation, error instanceof DomainError && error.kind === 'conflict' ? 'conflict' : 'error', seconds(), events);
      throw error;
    }
  }
}
