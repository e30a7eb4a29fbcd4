import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ReadPosition,
} from '@eventstore/db-client';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  RecordedEvent,
  StreamAppend,
  StreamState,
} from '../../../application/ports/event-store.js';
import { WrongExpectedVersion } from '../../../application/ports/event-store.errors.js';
import { LocalAppendNotifier, type AppendNotifier } from '../append-notifier.js';
import { upcast } from '../event-rows.js';
import type { EventStoreOptions } from '../event-store-options.js';
import { matchesExpected, prepareAppend, type PreparedStream } from '../prepared-append.js';
import { waitForEvents } from '../wait-for-events.js';
import { KurrentClaims } from './kurrent-claims.js';
import { findReplay } from './kurrent-replay.js';
import { isInternal, toEventData, toExpectedRevision, toRecordedEvent, toVersion } from './kurrent-mapping.js';

/**
 * KurrentDB / EventStoreDB through @eventstore/db-client. A single-stream append is atomic and
 * idempotent by event id on the server; claims and multi-stream appends are emulated (see
 * docs/event-store.md): they are not one transaction as on SQL.
 */
export class KurrentEventStore implements EventStore {
  private readonly notifier: AppendNotifier;
  private readonly claims: KurrentClaims;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreOptions = {},
  ) {
    this.notifier = options.notifier ?? new LocalAppendNotifier();
    this.claims = new KurrentClaims(client);
  }

  /** `esdb://…`; `kurrentdb://…` is accepted and read as `esdb://…` by this client. */
  static async connect(url: string, options: EventStoreOptions = {}): Promise<KurrentEventStore> {
    return new KurrentEventStore(EventStoreDBClient.connectionString(url.replace(/^kurrentdb/, 'esdb')), options);
  }

  append(streamId: string, events: NewEvent[], expected: StreamState, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expected }], options);
  }

  /** Claims first, then each stream in order, then releases; claims are given back if the events are refused. */
  async appendMulti(appends: StreamAppend[], options?: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(appends, options);
    const owners = new Set(appends.map((append) => append.streamId));
    // Narrows (cannot close) the window in which a later stream's conflict leaves earlier ones written.
    if (appends.length > 1) for (const append of appends) await this.checkVersion(append.streamId, append.expected);
    const made = await this.claims.claim(prepared.claims, appends[0].streamId, owners);
    const result: AppendResult = { position: 0, versions: {} };
    try {
      for (const [i, append] of appends.entries()) {
        const written = await this.appendOne(append, prepared.streams[i]);
        result.position = Math.max(result.position, written.position);
        result.versions[append.streamId] = written.version;
      }
    } catch (error) {
      await this.claims.release(made, owners);
      throw error;
    }
    await this.claims.release(prepared.releases, owners);
    if (result.position > 0) this.notifier.notify(result.position);
    return result;
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(Math.max(fromVersion, 1) - 1),
      })) {
        if (resolved.event) events.push(upcast(toRecordedEvent(resolved.event), this.options.upcasters));
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  /** Pages end between commits, never inside one: events of one append share a commit position. */
  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    const from: ReadPosition = after > 0 ? { commit: BigInt(after), prepare: BigInt(after) } : START;
    const events: RecordedEvent[] = [];
    for await (const resolved of this.client.readAll({ direction: FORWARDS, fromPosition: from })) {
      const event = resolved.event;
      if (!event || isInternal(event.streamId, event.type)) continue;
      const recorded = toRecordedEvent(event);
      if (recorded.position <= after) continue;
      if (events.length >= limit && recorded.position !== events[events.length - 1].position) break;
      events.push(upcast(recorded, this.options.upcasters));
    }
    return events;
  }

  async headPosition(): Promise<number> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END })) {
      const event = resolved.event;
      if (event && !isInternal(event.streamId, event.type)) return Number(event.position.commit);
    }
    return 0;
  }

  /** No batch read of stream heads in KurrentDB: the last event of each stream, read in parallel. */
  async headVersions(streamIds: string[]): Promise<Map<string, number>> {
    const ids = [...new Set(streamIds)];
    const versions = await Promise.all(ids.map((id) => this.versionOf(id)));
    return new Map(ids.map((id, i) => [id, versions[i]!]));
  }

  waitForEvents(after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return waitForEvents(() => this.headPosition(), this.notifier, after, timeoutMs, signal);
  }

  async close(): Promise<void> {
    await this.notifier.close();
    await this.client.dispose();
  }

  private async appendOne(append: StreamAppend, prepared: PreparedStream): Promise<{ version: number; position: number }> {
    if (append.events.length === 0) return { version: await this.checkVersion(append.streamId, append.expected), position: 0 };
    try {
      const result = await this.client.appendToStream(append.streamId, append.events.map(toEventData), {
        expectedRevision: toExpectedRevision(append.expected),
      });
      return { version: toVersion(result.nextExpectedRevision), position: Number(result.position?.commit ?? 0n) };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const replay = await findReplay(this.client, prepared);
      if (replay) return replay;
      throw new WrongExpectedVersion(append.streamId, append.expected, toVersion(error.actualVersion));
    }
  }

  private async checkVersion(streamId: string, expected: StreamState): Promise<number> {
    const actual = await this.versionOf(streamId);
    if (!matchesExpected(expected, actual)) throw new WrongExpectedVersion(streamId, expected, actual);
    return actual;
  }

  private async versionOf(streamId: string): Promise<number> {
    let version = 0;
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) version = Number(resolved.event.revision) + 1;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return version;
  }
}
