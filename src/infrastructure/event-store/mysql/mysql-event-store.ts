import type { Knex } from 'knex';
import { createPool, type Pool } from 'mysql2/promise';
import { poolIdleMs, silentSessionSql } from '../../database/silent-session.js';
import { mysqlOptionsOf } from '../../database/knex.js';
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
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type ReadRow } from '../event-rows.js';
import type { EventStoreOptions } from '../event-store-options.js';
import { GroupCommitQueue } from '../group-commit-queue.js';
import { prepareAppend, type PreparedAppend } from '../prepared-append.js';
import { ReadEventCache } from '../read-event-cache.js';
import { waitForEvents } from '../wait-for-events.js';
import { DatabaseFailure } from '../../database/database-failure.js';
import { CommitOutcomeUnknown, isConnectionFault, writeBatch } from './mysql-batch-writer.js';

export interface MysqlEventStoreOptions extends EventStoreOptions {
  /** Connections writing group commits in parallel (their serial section is the sequence lock). */
  flushers?: number;
  /** Most appends in one group commit. */
  maxBatch?: number;
  /** Most bytes of event JSON in one group commit (stay well under max_allowed_packet). */
  maxBatchBytes?: number;
  /** A group commit's round trip fails after this long without an answer (a stalled server). */
  statementTimeoutMs?: number;
  /** A writer session silent this long is ended by the server, its locks freed (silent-session.ts). */
  silentSessionS?: number;
}

/**
 * MySQL/MariaDB: appends queue up and flushers write many of them per transaction (group
 * commit) on connections of their own, with multi-statement round trips. Positions come from
 * the one-row `event_sequence`, locked to commit, so they are gapless and in commit order.
 */
export class MysqlEventStore implements EventStore {
  private readonly notifier: AppendNotifier;
  private readonly queue: GroupCommitQueue<PreparedAppend, AppendResult>;
  private readonly readCache: ReadEventCache;
  /** Reads of the log on their way, each for a page from `after`: a runner whose page starts inside one waits for it. */
  private readonly reading = new Set<{ after: number; limit: number; events: Promise<RecordedEvent[]> }>();
  /** The highest position known committed: this process's commits, other processes' hints, rows read. */
  private knownHead = 0;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly knex: Knex,
    private readonly writers: Pool,
    private readonly options: MysqlEventStoreOptions,
  ) {
    this.notifier = options.notifier ?? new LocalAppendNotifier();
    this.readCache = new ReadEventCache(options.upcasters, options.cachePositions);
    this.unsubscribe = this.notifier.subscribe((position) => this.heard(position));
    this.queue = new GroupCommitQueue((batch) => this.flush(batch), {
      flushers: options.flushers ?? 4,
      maxBatch: options.maxBatch ?? 256,
      maxWeight: options.maxBatchBytes ?? 4 * 1024 * 1024,
      weigh: (append) => append.bytes,
    });
  }

  /** Reads through `knex`; writes through a small pool of its own with knex's connection settings (password and TLS included). */
  static async open(knex: Knex, options: MysqlEventStoreOptions = {}): Promise<MysqlEventStore> {
    const seconds = options.silentSessionS;
    const writers = createPool({
      ...mysqlOptionsOf(knex),
      multipleStatements: true,
      // no stack captured per statement for its possible error (mysql2's default): a group commit's
      // errors are told apart by their code, and their place is always writeBatch
      trace: false,
      connectionLimit: options.flushers ?? 4,
      maxIdle: options.flushers ?? 4,
      ...(seconds && { idleTimeout: poolIdleMs(seconds) }),
    });
    // queued on a new connection before anything the pool hands it out for
    if (seconds)
      writers.pool.on('connection', (conn) => conn.query(silentSessionSql(seconds, options.statementTimeoutMs), () => undefined));
    return new MysqlEventStore(knex, writers, options);
  }

  append(streamId: string, events: NewEvent[], expected: StreamState, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMulti([{ streamId, events, expected }], options);
  }

  async appendMulti(appends: StreamAppend[], options?: AppendOptions): Promise<AppendResult> {
    return this.queue.submit(prepareAppend(appends, options));
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await this.knex('events')
      .select(this.knex.raw(EVENT_COLUMNS))
      .where('stream_id', streamId)
      .andWhere('version', '>=', fromVersion)
      .orderBy('version');
    return rows.map((row) => toRecordedEvent(row, this.options.upcasters));
  }

  /**
   * Hands out events only as far as their positions follow on from `after`. InnoDB builds a read
   * view by walking the open transactions without stopping commits, so a view can show position
   * n + 1 without n (n's holder was still open when the walk passed it, n + 1's had committed when
   * the walk got there): read as is, a reader would move past n for good. At such a break the run
   * before it is handed out; with no run, a locking read of the sequence row waits until the
   * transaction that allocated the latest positions has released it, so every position up to the
   * head it reads is committed and a fresh read sees all of them.
   */
  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    // the whole run up to the head this process knows of is here (committed by it, or read): no
    // statement at all; the nine runners of one process each read every page, a round trip each
    const known = this.readCache.runThrough(after, Math.min(after + limit, this.knownHead));
    if (known !== undefined) return known;
    // another runner of this process is reading the log from at or before here: its rows come to
    // the cache, and the run they make from here is this page (the runners follow one another
    // closely, and each used to read the same rows, data and all, a few times over)
    const sharing = [...this.reading].find((read) => read.after <= after && after < read.after + read.limit);
    if (sharing) {
      await sharing.events.catch(() => undefined);
      const through = this.readCache.knownAfter(after, limit);
      if (through > after) return this.readCache.runThrough(after, through)!;
    }
    const read = { after, limit, events: this.readFromLog(after, limit) };
    this.reading.add(read);
    try {
      return await read.events;
    } finally {
      this.reading.delete(read);
    }
  }

  /** A page from the log: the rows of the positions this process committed or read lately come without their data and metadata. */
  private async readFromLog(after: number, limit: number): Promise<RecordedEvent[]> {
    const events =
      (await this.readEvents(after, limit, this.readCache.knownRuns(after, limit))) ?? (await this.readEvents(after, limit, []))!;
    if (events.length > 0) this.heard(events[events.length - 1].position);
    return events;
  }

  private heard(position: number): void {
    if (position > this.knownHead) this.knownHead = position;
  }

  /** The events after `after`, with the data and metadata of the `known` runs left out; undefined when one of those is no longer known. */
  private async readEvents(after: number, limit: number, known: [number, number][]): Promise<RecordedEvent[] | undefined> {
    let rows = await this.readRows(after, limit, known);
    const run = rows.findIndex((row, i) => Number(row.position) !== after + 1 + i);
    if (run > 0) rows = rows.slice(0, run);
    else if (run === 0) rows = await this.readRows(after, limit, known, await this.settledHead());
    const events: RecordedEvent[] = [];
    for (const row of rows) {
      const event = this.readCache.eventOfRead(row);
      if (event === undefined) return undefined;
      events.push(event);
    }
    return events;
  }

  /** One statement as written (no query builder on the log's hottest read). */
  private async readRows(after: number, limit: number, known: [number, number][], upTo?: number): Promise<ReadRow[]> {
    const runs = known.map(([from, to]) => (from === to ? `position = ${from}` : `position BETWEEN ${from} AND ${to}`)).join(' OR ');
    const payload = (column: string) => (runs ? `IF(${runs}, NULL, ${column}) AS ${column}` : column);
    const sql =
      `SELECT position, id, stream_id, version, type, ${payload('data')}, ${payload('metadata')}, schema_version, recorded_at ` +
      `FROM events WHERE position > ?${upTo === undefined ? '' : ' AND position <= ?'} ORDER BY position LIMIT ?`;
    const [rows] = (await this.knex.raw(sql, upTo === undefined ? [after, limit] : [after, upTo, limit])) as [ReadRow[]];
    return rows;
  }

  /** The last position allocated, read under a shared lock (autocommit): it returns once the transaction holding the row has committed or rolled back. */
  private async settledHead(): Promise<number> {
    const row = await this.knex('event_sequence').first('last').where('id', 1).forShare();
    return Number(row?.last ?? 0);
  }

  async headPosition(): Promise<number> {
    const row = await this.knex('event_sequence').first('last').where('id', 1);
    return Number(row?.last ?? 0);
  }

  async headVersions(streamIds: string[]): Promise<Map<string, number>> {
    const versions = new Map(streamIds.map((id) => [id, 0]));
    if (streamIds.length === 0) return versions;
    const rows: { stream_id: string; version: number }[] = await this.knex('streams')
      .select('stream_id', 'version')
      .whereIn('stream_id', [...versions.keys()]);
    for (const row of rows) versions.set(row.stream_id, Number(row.version));
    return versions;
  }

  waitForEvents(after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return waitForEvents(() => this.headPosition(), this.notifier, after, timeoutMs, signal);
  }

  async close(): Promise<void> {
    await this.queue.drain();
    this.unsubscribe();
    await this.notifier.close();
    await this.writers.end();
  }

  private async flush(batch: PreparedAppend[]): Promise<(AppendResult | Error)[]> {
    try {
      return await this.write(batch, false);
    } catch (error) {
      if (!(error instanceof CommitOutcomeUnknown)) throw error;
      return this.readBack(batch, error);
    }
  }

  /**
   * The connection died after COMMIT was sent. Planned again with every event id looked up, what
   * was committed comes back as a replay with its positions, and what was not is written now; when
   * the log cannot be read either, the caller learns that the outcome is unknown (a retry with the
   * same Idempotency-Key, whose event ids are derived from it, then finds the truth).
   */
  private async readBack(batch: PreparedAppend[], unknown: CommitOutcomeUnknown): Promise<(AppendResult | Error)[]> {
    try {
      return await this.write(batch, true);
    } catch (error) {
      if (!isConnectionFault(error)) throw error;
      throw new DatabaseFailure('outcome_unknown', 'the commit of a group of appends could not be confirmed', { cause: unknown });
    }
  }

  private async write(batch: PreparedAppend[], lookUpAllIds: boolean): Promise<(AppendResult | Error)[]> {
    const conn = await this.writers.getConnection();
    let broken = false;
    try {
      const { results, head, committed } = await writeBatch(conn, batch, this.options.now ?? Date.now, {
        timeoutMs: this.options.statementTimeoutMs,
        lookUpAllIds,
      });
      // known before anyone is woken: readers here then read these positions without their data
      if (committed) this.readCache.remember(committed);
      if (head !== undefined) {
        this.heard(head);
        this.notifier.notify(head);
      }
      return results;
    } catch (error) {
      broken = isConnectionFault(error) || error instanceof CommitOutcomeUnknown;
      throw error;
    } finally {
      // a connection that timed out may still get the old answer: never hand it out again
      if (broken) conn.destroy();
      else conn.release();
    }
  }
}
