import { BACKWARDS, END, StreamNotFoundError, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { IdempotencyMismatch } from '../../../application/ports/event-store.errors.js';
import type { PreparedStream } from '../prepared-append.js';
import { positionOf } from './kurrent-mapping.js';

/** How far back a refused append looks for its own event ids. */
const LOOK_BACK = 1000;

/**
 * After a version conflict: were these exact events written before (a retry)? Returns the first
 * append's result if so, undefined if none of the ids is in the stream's recent tail, and throws
 * IdempotencyMismatch when some are, or with other content.
 */
export async function findReplay(
  client: KurrentDBClient,
  stream: PreparedStream,
): Promise<{ version: number; position: number } | undefined> {
  const wanted = new Map(stream.events.map((event, i) => [event.id, { event, i }]));
  const found: { i: number; version: number; position: number; same: boolean }[] = [];
  try {
    for await (const resolved of client.readStream(stream.streamId, { direction: BACKWARDS, fromRevision: END, maxCount: LOOK_BACK })) {
      const event = resolved.event;
      const match = event && wanted.get(event.id);
      if (!event || !match) continue;
      const same = event.type === match.event.type && JSON.stringify(event.data) === match.event.data;
      found.push({ i: match.i, version: Number(event.revision) + 1, position: positionOf(event.position?.commit), same });
      if (found.length === wanted.size) break;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  if (found.length === 0) return undefined;
  found.sort((a, b) => a.i - b.i);
  const consecutive = found.every((f, k) => f.i === k && f.version === found[0].version + k);
  if (found.length !== wanted.size || !consecutive || found.some((f) => !f.same))
    throw new IdempotencyMismatch(found.map((f) => stream.events[f.i].id));
  return { version: found[found.length - 1].version, position: Math.max(...found.map((f) => f.position)) };
}
