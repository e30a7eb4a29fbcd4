import type { Knex } from 'knex';
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
import { planBatch, resultOf, type BatchState } from '../append-planner.js';
import { toRecordedEvent } from '../event-rows.js';
import type { EventStoreOptions } from '../event-store-options.js';
import { GroupCommitQueue } from '../group-commit-queue.js';
import { prepareAppend, type PreparedAppend } from '../prepared-append.js';
import { ReadEventCache } from '../read-event-cache.js';
import { waitForEvents } from '../wait-for-events.js';
import { statementsOf, type SqliteDatabase, type Statements } from './sqlite-statements.js';

/**
 * The embedded store: knex's single better-sqlite3 connection (WAL). Queued appends are written
 * together in one synchronous BEGIN IMMEDIATE transaction, so commits are serial and positions
 * are gapless in commit order, even with several processes on one file.
 */
export class SqliteEventStore implements EventStore {
  private readonly notifier: AppendNotifier;
  private readonly readCache: ReadEventCache;
  // A batch runs synchronously and blocks the event loop while it writes: keep it to a few ms.
  private readonly queue = new GroupCommitQueue<PreparedAppend, AppendResult>((batch) => this.flush(batch), {
    flushers: 1,
    maxBatch: 256,
    maxWeight: 1024 * 1024,
    weigh: (append) => append.bytes,
  });

  constructor(
    private readonly knex: Knex,
    private readonly options: EventStoreOptions = {},
  ) {
    this.notifier = options.notifier ?? new LocalAppendNotifier();
    this.readCache = new ReadEventCache(options.upcasters, options.cachePositions);
  }

  append(streamId: string, events: NewEvent[], expected: StreamState, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expected }], options);
  }

  async appendMulti(appends: StreamAppend[], options?: AppendOptions): Promise<AppendResult> {
    return this.queue.submit(prepareAppend(appends, options));
  }

  readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    return this.withDb((db) =>
      statementsOf(db)
        .readStream.all(streamId, fromVersion)
        .map((row) => toRecordedEvent(row, this.options.upcasters)),
    );
  }

  readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.withDb((db) =>
      statementsOf(db)
        .readAll.all(after, limit)
        .map((row) => this.readCache.eventOf(row)),
    );
  }

  headPosition(): Promise<number> {
    return this.withDb((db) => Number(statementsOf(db).head.get().last));
  }

  async headVersions(streamIds: string[]): Promise<Map<string, number>> {
    const versions = new Map(streamIds.map((id) => [id, 0]));
    if (streamIds.length === 0) return versions;
    const rows = await this.withDb((db) => statementsOf(db).streamVersions.all(JSON.stringify([...versions.keys()])));
    for (const row of rows) versions.set(row.stream_id, Number(row.version));
    return versions;
  }

  waitForEvents(after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return waitForEvents(() => this.headPosition(), this.notifier, after, timeoutMs, signal);
  }

  async close(): Promise<void> {
    await this.queue.drain();
    await this.notifier.close();
  }

  private async flush(batch: PreparedAppend[]): Promise<(AppendResult | Error)[]> {
    const now = this.options.now?.() ?? Date.now();
    const { results, head } = await this.withDb((db) => db.transaction(() => writeBatch(statementsOf(db), batch, now)).immediate());
    if (head !== undefined) this.notifier.notify(head);
    return results;
  }

  /** Borrows knex's connection (shared with the rest of the app) for synchronous work. */
  private async withDb<T>(work: (db: SqliteDatabase) => T): Promise<T> {
    const client = this.knex.client as {
      acquireConnection(): Promise<SqliteDatabase>;
      releaseConnection(db: SqliteDatabase): Promise<unknown>;
    };
    const db = await client.acquireConnection();
    try {
      return work(db);
    } finally {
      await client.releaseConnection(db);
    }
  }
}

function writeBatch(sql: Statements, batch: PreparedAppend[], now: number) {
  const plan = planBatch(batch, readState(sql, batch));
  for (const [streamId, version] of plan.streamVersions) sql.upsertStream.run(streamId, version);
  for (const claim of plan.claimDeletes) sql.deleteClaim.run(claim.scope, claim.valueHash);
  for (const claim of plan.claimInserts) sql.insertClaim.run(claim.scope, claim.valueHash, claim.owner);
  let first = Number(sql.head.get().last) + 1;
  let head: number | undefined;
  if (plan.events.length > 0) {
    head = Number(sql.allocate.get(plan.events.length).last);
    first = head - plan.events.length + 1;
    for (const e of plan.events) {
      sql.insertEvent.run(first + e.offset, e.id, e.streamId, e.version, e.type, e.data, e.metadata, e.schemaVersion, now);
    }
  }
  return { results: batch.map((_, i) => resultOf(plan, i, first)), head };
}

function readState(sql: Statements, batch: PreparedAppend[]): BatchState {
  const ids = batch.flatMap((append) => append.eventIds);
  const streamIds = [...new Set(batch.flatMap((append) => append.streams.map((s) => s.streamId)))];
  const claimOwners = new Map<string, string>();
  for (const claim of batch.flatMap((append) => [...append.claims, ...append.releases])) {
    const row = sql.claimOwner.get(claim.scope, claim.valueHash);
    if (row) claimOwners.set(claim.key, row.owner_stream_id);
  }
  return {
    versions: new Map(sql.streamVersions.all(JSON.stringify(streamIds)).map((row) => [row.stream_id, Number(row.version)])),
    claimOwners,
    eventsById: new Map(
      (ids.length ? sql.eventsByIds.all(JSON.stringify(ids)) : []).map((row) => [
        row.id,
        {
          id: row.id,
          streamId: row.stream_id,
          version: Number(row.version),
          position: Number(row.position),
          type: row.type,
          data: row.data,
        },
      ]),
    ),
  };
}
