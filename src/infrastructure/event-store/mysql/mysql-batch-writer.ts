import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { AppendResult } from '../../../application/ports/event-store.js';
import { classifyDatabaseFailure } from '../../database/database-failure.js';
import { planBatch, resultOf, type BatchState, type StoredEventRef } from '../append-planner.js';
import type { EventRow } from '../event-rows.js';
import { claimMapKey, type PreparedAppend } from '../prepared-append.js';
import { eventsByIdsSql, lockAndReadSql, writeAndCommitSql } from './mysql-statements.js';

/** Errors after which the whole batch is simply tried again: a racing flusher got there first. */
const RETRYABLE = new Set(['ER_DUP_ENTRY', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_ATTEMPTS = 8;

export interface BatchOptions {
  /** Each round trip fails after this long without an answer (a stalled server); undefined waits. */
  timeoutMs?: number;
  /** Look every event id up before planning (after a duplicate key, or to read back an unknown commit). */
  lookUpAllIds?: boolean;
}

/** The connection failed after the COMMIT was sent: the batch may or may not be in the log. */
export class CommitOutcomeUnknown extends Error {
  constructor(cause: unknown) {
    super('the connection failed after COMMIT was sent', { cause });
    this.name = 'CommitOutcomeUnknown';
  }
}

export interface BatchWritten {
  results: (AppendResult | Error)[];
  /** The head after the commit, when events were written. */
  head?: number;
  /** The rows written, as a read would return them. */
  committed?: EventRow[];
}

/**
 * Writes one group commit on `conn`: two round trips. Appends that conflict (versions, claims,
 * replays) are left out by the planner, so they never fail the others. A duplicate key or a
 * deadlock means another flusher or process committed first: roll back and plan again.
 */
export async function writeBatch(
  conn: PoolConnection,
  batch: PreparedAppend[],
  now: () => number,
  options: BatchOptions = {},
): Promise<BatchWritten> {
  const query = (sql: string) => conn.query({ sql, timeout: options.timeoutMs });
  let lookUpAllIds = options.lookUpAllIds ?? false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptBatch(query, batch, now(), lookUpAllIds);
    } catch (error) {
      // a lost or stalled connection cannot roll back, and the server rolls back what it did not commit
      if (isConnectionFault(error)) throw error;
      await query('ROLLBACK').catch(() => undefined);
      const code = (error as { code?: string }).code ?? '';
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(code)) throw error;
      // A used event id may be the cause: this time look every id up before planning.
      if (code === 'ER_DUP_ENTRY') lookUpAllIds = true;
    }
  }
}

/**
 * Event ids are fresh UUIDs almost always, so the first attempt looks up only the ids of appends
 * that would fail (a refused retry is a replay); an accepted append reusing an id hits the unique
 * index instead, and the batch is planned again with every id looked up.
 */
async function attemptBatch(query: Query, batch: PreparedAppend[], now: number, lookUpAllIds: boolean): Promise<BatchWritten> {
  const read = lockAndReadSql(batch, lookUpAllIds ? batch.flatMap((append) => append.eventIds) : []);
  const [sets] = (await query(read.sql)) as unknown as [RowDataPacket[][]];
  const state = toState(sets, read.results);
  let plan = planBatch(batch, state);
  const refusedIds = lookUpAllIds ? [] : batch.flatMap((append, i) => (plan.outcomes[i].kind === 'failed' ? append.eventIds : []));
  if (refusedIds.length > 0) {
    const [rows] = (await query(eventsByIdsSql(refusedIds))) as unknown as [RowDataPacket[]];
    for (const [id, event] of toEvents(rows)) state.eventsById.set(id, event);
    plan = planBatch(batch, state);
  }
  if (!plan.outcomes.some((o) => o.kind === 'accepted')) {
    await query('ROLLBACK');
    return { results: batch.map((_, i) => resultOf(plan, i, 0)) };
  }
  const [written] = (await query(writeAndCommitSql(plan, now)).catch((error: unknown) => {
    throw isConnectionFault(error) ? new CommitOutcomeUnknown(error) : error;
  })) as unknown as [RowDataPacket[][]];
  const last = Number(written[written.length - 2][0].last);
  const first = last - plan.events.length + 1;
  if (plan.events.length === 0) return { results: batch.map((_, i) => resultOf(plan, i, first)) };
  const committed = plan.events.map((e): EventRow => ({
    position: first + e.offset,
    id: e.id,
    stream_id: e.streamId,
    version: e.version,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    schema_version: e.schemaVersion,
    recorded_at: now,
  }));
  return { results: batch.map((_, i) => resultOf(plan, i, first)), head: last, committed };
}

type Query = (sql: string) => ReturnType<PoolConnection['query']>;

/** The connection itself failed (lost, refused, no answer in time): a server error would have a code of its own. */
export function isConnectionFault(error: unknown): boolean {
  const kind = classifyDatabaseFailure(error);
  return kind === 'down' || kind === 'stalled';
}

function toState(sets: RowDataPacket[][], at: { ids?: number; streams: number; claims?: number }): BatchState {
  const events = at.ids === undefined ? [] : sets[at.ids];
  const claims = at.claims === undefined ? [] : sets[at.claims];
  return {
    versions: new Map(sets[at.streams].map((row) => [row.stream_id as string, Number(row.version)])),
    claimOwners: new Map(claims.map((row) => [claimMapKey(row.scope, row.value_hash), row.owner_stream_id as string])),
    eventsById: new Map(toEvents(events)),
  };
}

function toEvents(rows: RowDataPacket[]): [string, StoredEventRef][] {
  return rows.map((row) => [
    row.id as string,
    { id: row.id, streamId: row.stream_id, version: Number(row.version), position: Number(row.position), type: row.type, data: row.data },
  ]);
}
