import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '../../../application/ports/event-store.js';
import { commitBatch, type BatchTarget } from './commit-batch.js';

export interface ReplayProgress {
  projection: string;
  position: number;
  head: number;
  /** Events read and committed so far in this replay. */
  replayed: number;
}

/**
 * Commits batches into `target` from `from` until the log has nothing more, reading the next
 * batch while the current one commits. Returns the last position and the number of events;
 * throws between batches once `signal` aborts.
 */
export async function replay(
  knex: Knex,
  eventStore: EventStore,
  target: BatchTarget,
  from: number,
  batchSize: number,
  onProgress?: (progress: ReplayProgress) => void,
  signal?: AbortSignal,
): Promise<{ position: number; replayed: number }> {
  let position = from;
  let replayed = 0;
  let head = await eventStore.headPosition();
  let next = prefetch(eventStore, position, batchSize);
  for (let batch = 1; ; batch++) {
    const events = await next;
    signal?.throwIfAborted();
    if (events.length === 0) return { position, replayed };
    next = prefetch(eventStore, events[events.length - 1].position, batchSize);
    await commitBatch(knex, target, position, events);
    position = events[events.length - 1].position;
    replayed += events.length;
    if (batch % 50 === 0) head = await eventStore.headPosition();
    onProgress?.({ projection: target.projection.name, position, head: Math.max(head, position), replayed });
  }
}

function prefetch(eventStore: EventStore, after: number, limit: number): Promise<RecordedEvent[]> {
  const read = eventStore.readAll(after, limit);
  read.catch(() => undefined); // awaited later; never an unhandled rejection meanwhile
  return read;
}
