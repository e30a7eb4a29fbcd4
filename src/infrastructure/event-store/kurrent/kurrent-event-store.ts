import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  RecordedEvent,
  StreamAppend,
  StreamState,
} from '../../../application/ports/event-store.js';
import { ClaimTaken, IdempotencyMismatch, WrongExpectedVersion } from '../../../application/ports/event-store.errors.js';
import { LocalAppendNotifier, type AppendNotifier } from '../append-notifier.js';
import { upcast } from '../event-rows.js';
import type { EventStoreOptions } from '../event-store-options.js';
import { matchesExpected, prepareAppend, type PreparedAppend, type PreparedStream } from '../prepared-append.js';
import { waitForEvents } from '../wait-for-events.js';
import { KurrentClaims, claimStreamOf, isClaimStream } from './kurrent-claims.js';
import { isInternal, toEventData, toExpectedRevision, toRecordedEvent, toVersion } from './kurrent-mapping.js';
import { conflictOf, toAppendResult, toStreamRequest } from './kurrent-multi-append.js';
import { findReplay } from './kurrent-replay.js';
import { requireMultiStreamAppend } from './kurrent-server-support.js';

/** How many times an append is planned again when another writer moved one of its claim streams first. */
const CLAIM_RACES = 16;

/**
 * KurrentDB (25.1 or later) through @kurrent/kurrentdb-client. An append to one stream without
 * claims is one `appendToStream`; every other append (several streams, or any claim or release)
 * is one `multiStreamAppend`, which the server commits atomically: all streams, claim streams
 * included, or none (see docs/event-store.md).
 */
export class KurrentEventStore implements EventStore {
  private readonly notifier: AppendNotifier;
  private readonly claims: KurrentClaims;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly options: EventStoreOptions = {},
  ) {
    this.notifier = options.notifier ?? new LocalAppendNotifier();
    this.claims = new KurrentClaims(client);
  }

  /**
   * `kurrentdb://…` (`esdb://…` is read as `kurrentdb://…`). Refuses, with one line, a server that
   * cannot append to several streams atomically (before 25.1) rather than emulating it.
   */
  static async connect(url: string, options: EventStoreOptions = {}): Promise<KurrentEventStore> {
    const client = KurrentDBClient.connectionString(toKurrentUrl(url));
    try {
      await requireMultiStreamAppend(client, url);
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return new KurrentEventStore(client, options);
  }

  append(streamId: string, events: NewEvent[], expected: StreamState, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expected }], options);
  }

  async appendMulti(appends: StreamAppend[], options?: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(appends, options);
    // The server takes no stream without events in a multi-stream append: those are checked by a read first.
    const checked: Record<string, number> = {};
    for (const append of appends)
      if (append.events.length === 0) checked[append.streamId] = await this.checkVersion(append.streamId, append.expected);
    const writing = appends.flatMap((append, i) => (append.events.length > 0 ? [{ append, prepared: prepared.streams[i]! }] : []));
    let result: AppendResult;
    if (writing.length === 0 && prepared.claims.length === 0 && prepared.releases.length === 0) return { position: 0, versions: checked };
    if (writing.length === 1 && prepared.claims.length === 0 && prepared.releases.length === 0) {
      const [{ append, prepared: stream }] = writing;
      const written = await this.appendOne(append, stream!);
      result = { position: written.position, versions: { [append.streamId]: written.version } };
    } else {
      result = await this.appendAtomically(appends, writing, prepared);
    }
    result.versions = { ...checked, ...result.versions };
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

  /**
   * One `multiStreamAppend` of the streams with events and the claim streams; all or nothing.
   * A conflict on a claim stream (another writer claimed or released the value first) plans
   * the claims again; a conflict on one of the caller's streams is a replay or WrongExpectedVersion.
   */
  private async appendAtomically(
    appends: StreamAppend[],
    writing: { append: StreamAppend; prepared: PreparedStream }[],
    prepared: PreparedAppend,
  ): Promise<AppendResult> {
    const owners = new Set(appends.map((append) => append.streamId));
    const streamIds = writing.map(({ append }) => append.streamId);
    for (let race = 1; ; race++) {
      const claimRequests = await this.claims.plan(prepared.claims, prepared.releases, appends[0]!.streamId, owners);
      if (writing.length === 0 && claimRequests.length === 0) return { position: 0, versions: {} };
      try {
        const written = await this.client.multiStreamAppend([...writing.map(({ append }) => toStreamRequest(append)), ...claimRequests]);
        return toAppendResult(written, streamIds);
      } catch (error) {
        const conflict = conflictOf(error);
        if (!conflict) throw error;
        if (isClaimStream(conflict.streamId)) {
          if (race < CLAIM_RACES) continue;
          const contended = [...prepared.claims, ...prepared.releases].find((key) => claimStreamOf(key) === conflict.streamId);
          throw new ClaimTaken(contended?.scope ?? 'claim', contended?.value ?? conflict.streamId);
        }
        const replay = await this.findReplays(writing);
        if (replay) return replay;
        const append =
          appends.find((a) => a.streamId === conflict.streamId) ??
          appends.find((a) => a.streamId.toLowerCase() === conflict.streamId.toLowerCase());
        throw new WrongExpectedVersion(append?.streamId ?? conflict.streamId, append?.expected ?? 'any', conflict.actual);
      }
    }
  }

  /** After a refusal: were all these events written before (a retry)? Some of them only: IdempotencyMismatch. */
  private async findReplays(writing: { prepared: PreparedStream }[]): Promise<AppendResult | undefined> {
    const found = await Promise.all(writing.map(({ prepared }) => findReplay(this.client, prepared)));
    const replayed = found.filter((each) => each !== undefined);
    if (replayed.length === 0) return undefined;
    if (replayed.length < found.length)
      throw new IdempotencyMismatch(writing.flatMap(({ prepared }, i) => (found[i] ? prepared.events.map((e) => e.id) : [])));
    return {
      position: Math.max(...replayed.map((each) => each.position)),
      versions: Object.fromEntries(writing.map(({ prepared }, i) => [prepared.streamId, found[i]!.version])),
    };
  }

  private async appendOne(append: StreamAppend, prepared: PreparedStream): Promise<{ version: number; position: number }> {
    try {
      const result = await this.client.appendToStream(append.streamId, append.events.map(toEventData), {
        streamState: toExpectedRevision(append.expected),
      });
      return { version: toVersion(result.nextExpectedRevision), position: Number(result.position?.commit ?? 0n) };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const replay = await findReplay(this.client, prepared);
      if (replay) return replay;
      throw new WrongExpectedVersion(append.streamId, append.expected, toVersion(error.actualState));
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

/** The client warns that `esdb://` is deprecated; the same server is `kurrentdb://`. */
export function toKurrentUrl(url: string): string {
  return url.replace(/^esdb(\+discover)?:/, 'kurrentdb$1:');
}
