import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type JSONType,
  type RecordedEvent as KurrentRecordedEvent,
} from '@eventstore/db-client';
import type { NewEvent, RecordedEvent, StreamState } from '../../../application/ports/event-store.js';

/** Our versions count events from 1; KurrentDB revisions count from 0 (no stream: NO_STREAM, never -1). */
export function toExpectedRevision(expected: StreamState): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected - 1);
}

export function toVersion(revision: CurrentRevision | bigint | undefined): number {
  return revision === undefined || revision === NO_STREAM ? 0 : Number(revision) + 1;
}

export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client JSON-encodes `data`; any JSON value round-trips.
    data: (event.data ?? null) as JSONType,
    metadata: { ...event.metadata, schemaVersion: event.schemaVersion ?? 1 },
  });
}

/** A user event as the port shows it; the global position is the commit position. */
export function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
  const { schemaVersion, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
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

/** Streams of the server ($…) and of the claim emulation are not part of our log. */
export function isInternal(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$') || streamId.startsWith(CLAIM_STREAM_PREFIX);
}

export const CLAIM_STREAM_PREFIX = 'onsale.claim-';
