import type { Knex } from 'knex';
import type { EventStore } from '../../../application/ports/event-store.js';
import { createCheckpointTable, readCheckpoint } from './checkpoint-store.js';
import type { BatchTarget } from './commit-batch.js';
import { ensureLiveTables } from './ensure-tables.js';
import type { FailureStore } from './failures.js';
import { LeaseKeeper } from './lease-keeper.js';
import type { LeaseStore } from './lease.js';
import type { Projection, TableNames } from '../../../projections/projection.js';
import { replay, type ReplayProgress } from './replay.js';
import { dropTables, listTables, renameTables } from './sql-tables.js';
import { rebuildLeaseName } from './status.js';
import { allLogicalTables, liveTableName, liveTables, suffixedTables } from '../../../projections/table-names.js';

export interface RebuildDeps {
  knex: Knex;
  eventStore: EventStore;
  leases: LeaseStore;
  failures: FailureStore;
  /** Identity of the rebuilding process in lease rows. */
  owner: string;
}

export interface RebuildOptions {
  /** Truncate the live tables and replay into them (reads see partial data meanwhile). */
  inPlace?: boolean;
  batchSize?: number;
  leaseMs?: number;
  onProgress?(progress: ReplayProgress): void;
  /** Stops between batches (Ctrl-C): fresh tables are dropped, leases released, live tables untouched. */
  signal?: AbortSignal;
  onLeaseError?(error: unknown): void;
}

export interface RebuildResult {
  projection: string;
  position: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export class RebuildInProgress extends Error {
  constructor(projection: string) {
    super(`A rebuild of ${projection} is already running`);
  }
}

/**
 * Rebuilds a projection from the start of the log. By default into fresh tables while the live
 * ones keep serving reads; once caught up it takes the live lease (so the runner cannot commit in
 * between), catches up the rest and swaps tables and checkpoint in atomically.
 */
export async function rebuildProjection(deps: RebuildDeps, projection: Projection, options: RebuildOptions = {}): Promise<RebuildResult> {
  const { leases, owner } = deps;
  const leaseMs = options.leaseMs ?? 10_000;
  const started = performance.now();
  if (projection.replays === false) return keepReactor(deps, projection);
  if (!(await leases.acquire(rebuildLeaseName(projection.name), owner, leaseMs))) throw new RebuildInProgress(projection.name);
  const keeper = new LeaseKeeper(leases, owner, leaseMs, options.onLeaseError ?? (() => undefined));
  keeper.hold(rebuildLeaseName(projection.name));
  try {
    await dropLeftovers(deps.knex, projection);
    const { position, replayed } = options.inPlace
      ? await rebuildInPlace(deps, projection, keeper, options)
      : await rebuildBeside(deps, projection, keeper, options);
    const seconds = (performance.now() - started) / 1000;
    return { projection: projection.name, position, events: replayed, seconds, eventsPerSecond: replayed / Math.max(seconds, 1e-6) };
  } finally {
    await keeper.release();
  }
}

/** A reactor is not rebuilt (its replay would act again): its tables are made when missing, at the log's head. */
async function keepReactor(deps: RebuildDeps, projection: Projection): Promise<RebuildResult> {
  await ensureLiveTables(deps.knex, projection, await deps.eventStore.headPosition());
  const position = (await readCheckpoint(deps.knex, liveTables(projection.name))) ?? 0;
  return { projection: projection.name, position, events: 0, seconds: 0, eventsPerSecond: 0 };
}

type Replayed = { position: number; replayed: number };

async function rebuildBeside(deps: RebuildDeps, projection: Projection, keeper: LeaseKeeper, options: RebuildOptions): Promise<Replayed> {
  const { knex, eventStore, leases, owner } = deps;
  const suffix = `__r${Date.now().toString(36)}`;
  const fresh = suffixedTables(projection.name, suffix);
  const target = targetOf(deps, projection, fresh, rebuildLeaseName(projection.name));
  const batchSize = options.batchSize ?? 5000;
  try {
    await projection.createTables(knex, fresh);
    await createCheckpointTable(knex, fresh, 0);
    const first = await replay(knex, eventStore, target, 0, batchSize, options.onProgress, options.signal);
    await leases.steal(projection.name, owner, options.leaseMs ?? 10_000);
    keeper.hold(projection.name);
    const last = await replay(knex, eventStore, target, first.position, batchSize, options.onProgress, options.signal);
    await swapIn(deps, projection, fresh, `__o${suffix.slice(3)}`);
    return { position: last.position, replayed: first.replayed + last.replayed };
  } catch (error) {
    await dropTables(knex, physicalTables(projection, fresh)).catch(() => undefined);
    throw error;
  }
}

async function rebuildInPlace(deps: RebuildDeps, projection: Projection, keeper: LeaseKeeper, options: RebuildOptions): Promise<Replayed> {
  const { knex, eventStore, leases, owner, failures } = deps;
  await leases.steal(projection.name, owner, options.leaseMs ?? 10_000);
  keeper.hold(projection.name);
  await dropTables(knex, physicalTables(projection, liveTables(projection.name)));
  await ensureLiveTables(knex, projection);
  const target = targetOf(deps, projection, liveTables(projection.name), projection.name);
  const result = await replay(knex, eventStore, target, 0, options.batchSize ?? 5000, options.onProgress, options.signal);
  await failures.clear(projection.name);
  return result;
}

/** Live tables become `…__o<time>`, fresh ones become live, in one atomic rename; then the old go. */
async function swapIn(deps: RebuildDeps, projection: Projection, fresh: TableNames, oldSuffix: string): Promise<void> {
  const existing = new Set(await listTables(deps.knex));
  const renames: { from: string; to: string }[] = [];
  const old: string[] = [];
  for (const logical of allLogicalTables(projection)) {
    const live = liveTableName(projection.name, logical);
    if (existing.has(live)) {
      renames.push({ from: live, to: live + oldSuffix });
      old.push(live + oldSuffix);
    }
    renames.push({ from: fresh(logical), to: live });
  }
  await renameTables(deps.knex, renames, (db) => deps.failures.clear(projection.name, db));
  await dropTables(deps.knex, old);
}

/** Tables of an interrupted rebuild (`<live>__r…` or `<live>__o…`). */
async function dropLeftovers(knex: Knex, projection: Projection): Promise<void> {
  const prefixes = allLogicalTables(projection).flatMap((logical) => {
    const live = liveTableName(projection.name, logical);
    return [`${live}__r`, `${live}__o`];
  });
  const leftovers = (await listTables(knex)).filter((table) => prefixes.some((prefix) => table.startsWith(prefix)));
  await dropTables(knex, leftovers);
}

function targetOf(deps: RebuildDeps, projection: Projection, tables: TableNames, leaseName: string): BatchTarget {
  return { projection, tables, guard: { leases: deps.leases, name: leaseName, owner: deps.owner } };
}

function physicalTables(projection: Projection, tables: TableNames): string[] {
  return allLogicalTables(projection).map((logical) => tables(logical));
}
