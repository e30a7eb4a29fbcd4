import { WrongExpectedVersionError, type AppendStreamRequest, type MultiAppendResult } from '@kurrent/kurrentdb-client';
import type { AppendResult, StreamAppend } from '../../../application/ports/event-store.js';
import { toExpectedRevision, toMultiStreamEventData, toVersion } from './kurrent-mapping.js';

/** One stream's part of a `multiStreamAppend`: the port's expected version as a KurrentDB revision. */
export function toStreamRequest(append: StreamAppend): AppendStreamRequest {
  return {
    streamName: append.streamId,
    expectedState: toExpectedRevision(append.expected),
    events: append.events.map(toMultiStreamEventData),
  };
}

/**
 * The port's result of a multi-stream append: the new version of each of the caller's streams
 * (the claim streams written with them are left out) and the transaction's commit position,
 * which every event it wrote carries as its position.
 */
export function toAppendResult(result: MultiAppendResult, streamIds: string[]): AppendResult {
  const wanted = new Set(streamIds);
  const versions: Record<string, number> = {};
  for (const response of result.responses)
    if (wanted.has(response.streamName)) versions[response.streamName] = toVersion(response.revision);
  return { position: Number(result.position), versions };
}

/** The stream a refused append names and its version now, in the port's terms; undefined for other errors. */
export function conflictOf(error: unknown): { streamId: string; actual: number } | undefined {
  if (!(error instanceof WrongExpectedVersionError)) return undefined;
  return { streamId: error.streamName, actual: toVersion(error.actualState) };
}
