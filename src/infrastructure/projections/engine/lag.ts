import type { Knex } from 'knex';
import type { EventStore } from '../../../application/ports/event-store.js';
import type { Projection } from '../../../projections/projection.js';
import { liveTables } from '../../../projections/table-names.js';
import { readCheckpoint } from './checkpoint-store.js';

/** How far the slowest read model is behind the log: events not applied yet and the age of the oldest. */
export interface ProjectionLag {
  positions: number;
  seconds: number;
  /** The slowest projection, when one is behind. */
  projection?: string;
}

/**
 * The slowest projection against the log's head, from the database (so every process sees the
 * same figure): the head, one checkpoint row per projection and, when behind, one event. Lighter
 * than the full status (no leases, no failures): the live dashboard reads it every second.
 */
export async function slowestProjection(
  knex: Knex,
  store: EventStore,
  projections: Projection[],
  now = Date.now(),
): Promise<ProjectionLag> {
  const [head, checkpoints] = await Promise.all([
    store.headPosition(),
    Promise.all(projections.map((projection) => readCheckpoint(knex, liveTables(projection.name)))),
  ]);
  let slowest: { name: string; position: number } | undefined;
  checkpoints.forEach((position, i) => {
    // a projection whose tables do not exist yet is being created: not a lag of the running ones
    if (position !== undefined && (!slowest || position < slowest.position)) slowest = { name: projections[i]!.name, position };
  });
  if (!slowest || slowest.position >= head) return { positions: 0, seconds: 0 };
  const [next] = await store.readAll(slowest.position, 1);
  const seconds = next ? Math.max(0, (now - next.metadata.recordedAt.getTime()) / 1000) : 0;
  return { positions: head - slowest.position, seconds, projection: slowest.name };
}
