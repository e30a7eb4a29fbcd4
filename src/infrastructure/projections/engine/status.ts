import type { Knex } from 'knex';
import type { EventStore } from '../../../application/ports/event-store.js';
import { readCheckpoint } from './checkpoint-store.js';
import type { FailureStore, ProjectionFailure } from './failures.js';
import type { LeaseStore } from './lease.js';
import type { Projection } from '../../../projections/projection.js';
import { liveTables } from '../../../projections/table-names.js';

export type ProjectionState = 'running' | 'stopped' | 'failed' | 'rebuilding' | 'new';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** Checkpoint: every event up to here is applied (0 for a projection not created yet). */
  position: number;
  head: number;
  lagPositions: number;
  /** Age of the oldest event not applied yet; 0 when caught up. */
  lagSeconds: number;
  /** The process holding the lease, when one does. */
  owner?: string;
  failure?: ProjectionFailure;
}

export interface StatusDeps {
  knex: Knex;
  eventStore: EventStore;
  leases: LeaseStore;
  failures: FailureStore;
  now?: () => number;
}

/** Where each projection stands against the head of the log, read from the database. */
export async function projectionStatuses(deps: StatusDeps, projections: Projection[]): Promise<ProjectionStatus[]> {
  const head = await deps.eventStore.headPosition();
  return Promise.all(projections.map((projection) => statusOf(deps, projection, head)));
}

/** Lease names of a rebuild in progress; the live lease has the projection's own name. */
export function rebuildLeaseName(projection: string): string {
  return `rebuild:${projection}`;
}

async function statusOf(deps: StatusDeps, projection: Projection, head: number): Promise<ProjectionStatus> {
  const now = deps.now?.() ?? Date.now();
  const [checkpoint, holder, rebuilding, failure] = await Promise.all([
    readCheckpoint(deps.knex, liveTables(projection.name)),
    deps.leases.holder(projection.name),
    deps.leases.holder(rebuildLeaseName(projection.name)),
    deps.failures.get(projection.name),
  ]);
  const position = checkpoint ?? 0;
  const [next] = position < head ? await deps.eventStore.readAll(position, 1) : [];
  const lagSeconds = next ? Math.max(0, (now - next.metadata.recordedAt.getTime()) / 1000) : 0;
  const state: ProjectionState = failure
    ? 'failed'
    : rebuilding
      ? 'rebuilding'
      : checkpoint === undefined
        ? 'new'
        : holder
          ? 'running'
          : 'stopped';
  return {
    name: projection.name,
    state,
    position,
    head,
    lagPositions: Math.max(0, head - position),
    lagSeconds,
    owner: holder?.owner,
    failure,
  };
}
