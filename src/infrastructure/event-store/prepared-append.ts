import type { AppendOptions, StreamAppend, StreamState, UniquenessClaim } from '../../application/ports/event-store.js';
import { hashClaimValue } from './claim-hash.js';

/** An event checked and serialised, ready to be written by any adapter. */
export interface PreparedEvent {
  id: string;
  streamId: string;
  type: string;
  /** JSON text of `data`; idempotent replays compare it byte for byte. */
  data: string;
  /** JSON text of the caller's metadata (correlationId, causationId, …). */
  metadata: string;
  schemaVersion: number;
}

export interface PreparedStream {
  streamId: string;
  expected: StreamState;
  events: PreparedEvent[];
}

export interface ClaimKey {
  scope: string;
  valueHash: string;
  /** Kept in memory only, for the error message of a taken claim. */
  value: string;
  /** `scope` + hash, as a map key. */
  key: string;
}

/** One call of append/appendMulti, validated, serialised and with its claims hashed. */
export interface PreparedAppend {
  streams: PreparedStream[];
  claims: ClaimKey[];
  releases: ClaimKey[];
  eventIds: string[];
  /** Bytes of JSON it carries, to keep a group commit under the server's packet size. */
  bytes: number;
}

export function prepareAppend(appends: StreamAppend[], options: AppendOptions = {}): PreparedAppend {
  if (appends.length === 0) throw new TypeError('append needs at least one stream');
  const streamIds = new Set<string>();
  const eventIds = new Set<string>();
  const streams = appends.map(({ streamId, expected, events }) => {
    if (typeof streamId !== 'string' || streamId === '') throw new TypeError('streamId must be a non-empty string');
    if (streamIds.has(streamId)) throw new TypeError(`stream ${streamId} appears twice in one append`);
    streamIds.add(streamId);
    checkStreamState(expected);
    const prepared = events.map((event): PreparedEvent => {
      if (typeof event.id !== 'string' || event.id === '') throw new TypeError('every event needs an id');
      if (eventIds.has(event.id)) throw new TypeError(`event id ${event.id} appears twice in one append`);
      eventIds.add(event.id);
      if (typeof event.type !== 'string' || event.type === '') throw new TypeError('every event needs a type');
      return {
        id: event.id,
        streamId,
        type: event.type,
        data: JSON.stringify(event.data ?? null),
        metadata: JSON.stringify(event.metadata ?? {}),
        schemaVersion: event.schemaVersion ?? 1,
      };
    });
    return { streamId, expected, events: prepared };
  });
  return {
    streams,
    claims: (options.claims ?? []).map(claimKey),
    releases: (options.releases ?? []).map(claimKey),
    eventIds: [...eventIds],
    bytes: streams.reduce((sum, s) => sum + s.events.reduce((n, e) => n + e.data.length + e.metadata.length + 200, 0), 0),
  };
}

export function claimKey({ scope, value }: UniquenessClaim): ClaimKey {
  if (!scope || typeof value !== 'string') throw new TypeError('a claim needs a scope and a string value');
  const valueHash = hashClaimValue(value);
  return { scope, valueHash, value, key: claimMapKey(scope, valueHash) };
}

export function claimMapKey(scope: string, valueHash: string): string {
  return `${scope}\u0000${valueHash}`;
}

function checkStreamState(expected: StreamState): void {
  if (typeof expected === 'number') {
    if (!Number.isInteger(expected) || expected < 0) throw new TypeError(`expected version must be an integer >= 0, got ${expected}`);
  } else if (!['no_stream', 'stream_exists', 'any'].includes(expected)) {
    throw new TypeError(`unknown expected stream state ${String(expected)}`);
  }
}

/** True when a stream at `actual` (0: no stream) satisfies `expected`. */
export function matchesExpected(expected: StreamState, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  if (expected === 'stream_exists') return actual > 0;
  return actual === expected;
}
