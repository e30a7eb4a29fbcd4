import type { AppendResult } from '../../application/ports/event-store.js';
import { ClaimTaken, IdempotencyMismatch, WrongExpectedVersion } from '../../application/ports/event-store.errors.js';
import { matchesExpected, type PreparedAppend, type PreparedEvent } from './prepared-append.js';

/** An event already in the store, as far as idempotency checks need it. */
export interface StoredEventRef {
  id: string;
  streamId: string;
  version: number;
  position: number;
  type: string;
  data: string;
}

/** What a batch needs to know about the store, read (and locked, in SQL) before planning. */
export interface BatchState {
  /** Current version of each stream the batch touches; a missing entry means 0 (no stream). */
  versions: Map<string, number>;
  /** Owner stream of each claim key the batch touches. */
  claimOwners: Map<string, string>;
  /** Stored events whose id the batch uses. */
  eventsById: Map<string, StoredEventRef>;
}

export type PlanOutcome =
  | { kind: 'replay'; result: AppendResult }
  | { kind: 'same-as'; index: number }
  | { kind: 'failed'; error: Error }
  | { kind: 'accepted'; lastOffset: number; versions: Record<string, number> };

export interface PlannedEvent extends PreparedEvent {
  version: number;
  /** 0-based place in the batch: its position is the batch's first position + offset. */
  offset: number;
}

export interface ClaimRow {
  scope: string;
  valueHash: string;
  owner: string;
}

export interface BatchPlan {
  outcomes: PlanOutcome[];
  events: PlannedEvent[];
  /** Final version of every stream that got events. */
  streamVersions: Map<string, number>;
  claimDeletes: ClaimRow[];
  claimInserts: ClaimRow[];
}

/**
 * Decides, in order, what each append of a batch does against the state read for the batch:
 * an idempotent replay, a failure (only that append fails), or accepted events. Later appends
 * see the effect of earlier ones, exactly as if they had been committed one after another.
 */
export function planBatch(appends: PreparedAppend[], state: BatchState): BatchPlan {
  const versions = new Map(state.versions);
  const owners = new Map(state.claimOwners);
  const inBatch = new Map<string, { index: number; event: PlannedEvent }>();
  const events: PlannedEvent[] = [];
  const outcomes = appends.map((append, index): PlanOutcome => {
    const replay = checkReplay(append, state.eventsById, inBatch, versions);
    if (replay) return replay;
    const error = checkVersions(append, versions) ?? checkClaims(append, owners);
    if (error) return { kind: 'failed', error };
    applyClaims(append, owners);
    const result: Record<string, number> = {};
    for (const stream of append.streams) {
      let version = versions.get(stream.streamId) ?? 0;
      for (const event of stream.events) {
        const planned = { ...event, version: ++version, offset: events.length };
        events.push(planned);
        inBatch.set(event.id, { index, event: planned });
      }
      versions.set(stream.streamId, version);
      result[stream.streamId] = version;
    }
    return { kind: 'accepted', lastOffset: events.length - 1, versions: result };
  });
  const streamVersions = new Map(events.map((event) => [event.streamId, versions.get(event.streamId) ?? 0]));
  return { outcomes, events, streamVersions, ...claimChanges(appends, state.claimOwners, owners) };
}

/** The result of outcome `index` once the batch's events got positions `first`, `first + 1`, … */
export function resultOf(plan: BatchPlan, index: number, first: number): AppendResult | Error {
  const outcome = plan.outcomes[index];
  if (outcome.kind === 'failed') return outcome.error;
  if (outcome.kind === 'replay') return outcome.result;
  if (outcome.kind === 'same-as') return resultOf(plan, outcome.index, first);
  return { position: first + outcome.lastOffset, versions: outcome.versions };
}

function checkReplay(
  append: PreparedAppend,
  stored: Map<string, StoredEventRef>,
  inBatch: Map<string, { index: number; event: PlannedEvent }>,
  versions: Map<string, number>,
): PlanOutcome | undefined {
  const ids = append.eventIds;
  const used = ids.filter((id) => stored.has(id) || inBatch.has(id));
  if (used.length === 0) return undefined;
  const mismatch = { kind: 'failed', error: new IdempotencyMismatch(used) } as const;
  if (used.length !== ids.length) return mismatch;
  const earlier = inBatch.get(ids[0]);
  const found = (id: string) => (earlier ? inBatch.get(id)?.event : stored.get(id));
  if (earlier && ids.some((id) => inBatch.get(id)?.index !== earlier.index)) return mismatch;
  let position = 0;
  const result: Record<string, number> = {};
  for (const stream of append.streams) {
    let previous: number | undefined;
    for (const event of stream.events) {
      const old = found(event.id);
      if (!old || old.streamId !== stream.streamId || old.type !== event.type || old.data !== event.data) return mismatch;
      if (previous !== undefined && old.version !== previous + 1) return mismatch;
      previous = old.version;
      if ('position' in old) position = Math.max(position, old.position);
    }
    result[stream.streamId] = previous ?? versions.get(stream.streamId) ?? 0;
  }
  if (earlier) return { kind: 'same-as', index: earlier.index };
  return { kind: 'replay', result: { position, versions: result } };
}

function checkVersions(append: PreparedAppend, versions: Map<string, number>): Error | undefined {
  for (const { streamId, expected } of append.streams) {
    const actual = versions.get(streamId) ?? 0;
    if (!matchesExpected(expected, actual)) return new WrongExpectedVersion(streamId, expected, actual);
  }
  return undefined;
}

function checkClaims(append: PreparedAppend, owners: Map<string, string>): Error | undefined {
  const streams = new Set(append.streams.map((stream) => stream.streamId));
  for (const claim of append.claims) {
    const owner = owners.get(claim.key);
    if (owner !== undefined && !streams.has(owner)) return new ClaimTaken(claim.scope, claim.value);
  }
  return undefined;
}

/** Releases free only what a stream of this append owns; claims keep an owner they already have. */
function applyClaims(append: PreparedAppend, owners: Map<string, string>): void {
  const streams = new Set(append.streams.map((stream) => stream.streamId));
  for (const release of append.releases) {
    const owner = owners.get(release.key);
    if (owner !== undefined && streams.has(owner)) owners.delete(release.key);
  }
  for (const claim of append.claims) if (!owners.has(claim.key)) owners.set(claim.key, append.streams[0].streamId);
}

function claimChanges(appends: PreparedAppend[], before: Map<string, string>, after: Map<string, string>) {
  const keys = new Map(appends.flatMap((a) => [...a.claims, ...a.releases]).map((c) => [c.key, c]));
  const claimDeletes: ClaimRow[] = [];
  const claimInserts: ClaimRow[] = [];
  for (const [key, claim] of keys) {
    const old = before.get(key);
    const now = after.get(key);
    if (old === now) continue;
    if (old !== undefined) claimDeletes.push({ scope: claim.scope, valueHash: claim.valueHash, owner: old });
    if (now !== undefined) claimInserts.push({ scope: claim.scope, valueHash: claim.valueHash, owner: now });
  }
  return { claimDeletes, claimInserts };
}
