import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type JSONType,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import type { NewEvent, RecordedEvent, StreamState } from '../../../application/ports/event-store.js';

/** Our versions count events from 1; KurrentDB revisions count from 0 (no stream: NO_STREAM, never -1). */
export function toExpectedRevision(expected: StreamState): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected - 1);
}

export function toVersion(revision: CurrentStreamState | bigint | undefined): number {
  return revision === undefined || revision === NO_STREAM ? 0 : Number(revision) + 1;
}

/** An event for `appendToStream` (one stream): its metadata is stored as the JSON object it is. */
export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client JSON-encodes `data`; any JSON value round-trips.
    data: (event.data ?? null) as JSONType,
    metadata: { ...event.metadata, schemaVersion: event.schemaVersion ?? 1 },
  });
}

/**
 * An event for `multiStreamAppend`, whose records carry metadata as string properties only: string
 * values are kept as they are, other values (schemaVersion, numbers, objects) as JSON text under
 * `json:<key>`. `fromStoredMetadata` undoes it on read.
 */
export function toMultiStreamEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: (event.data ?? null) as JSONType,
    metadata: toProperties({ ...event.metadata, schemaVersion: event.schemaVersion ?? 1 }),
  });
}

export function toProperties(metadata: Record<string, unknown>): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined) continue;
    if (typeof value === 'string' && !key.startsWith(JSON_PROPERTY)) properties[key] = value;
    else properties[`${JSON_PROPERTY}${key}`] = JSON.stringify(value);
  }
  return properties;
}

/**
 * The caller's metadata from what the server stored: a JSON object (`appendToStream`), or the
 * string properties of a multi-stream append, to which the server adds `$schema.*` keys.
 */
export function fromStoredMetadata(stored: unknown): Record<string, unknown> {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored) || stored instanceof Uint8Array) return {};
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    if (key.startsWith('$schema.')) continue;
    if (key.startsWith(JSON_PROPERTY) && typeof value === 'string') metadata[key.slice(JSON_PROPERTY.length)] = parseOr(value);
    else metadata[key] = value;
  }
  return metadata;
}

const JSON_PROPERTY = 'json:';

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A user event as the port shows it; the global position is the commit position. */
export function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
  const { schemaVersion, ...metadata } = fromStoredMetadata(event.metadata);
  return {
    id: event.id,
    streamId: event.streamId,
    version: Number(event.revision) + 1,
    position: positionOf(event.position?.commit),
    type: event.type,
    data: event.isJson ? event.data : Buffer.from(event.data as Uint8Array).toString('base64'),
    metadata: { ...metadata, schemaVersion: Number(schemaVersion ?? 1), recordedAt: event.created },
  };
}

/** Servers before 22.6 send 2^64-1 (or nothing) as the position of events read from a stream: 0, unknown. */
export function positionOf(commit: bigint | undefined): number {
  return commit === undefined || commit === UNKNOWN_POSITION ? 0 : Number(commit);
}

const UNKNOWN_POSITION = 18446744073709551615n;

/** Streams of the server ($…) and the claim streams are not part of our log. */
export function isInternal(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$') || streamId.startsWith(CLAIM_STREAM_PREFIX);
}

export const CLAIM_STREAM_PREFIX = 'onsale.claim-';
