import type { Knex } from 'knex';
import { ProjectionEngine } from '../../../src/infrastructure/projections/engine/engine.js';
import { FailureStore } from '../../../src/infrastructure/projections/engine/failures.js';
import { LeaseStore } from '../../../src/infrastructure/projections/engine/lease.js';
import type { Projection } from '../../../src/projections/projection.js';
import { ProjectionRegistry } from '../../../src/infrastructure/projections/engine/registry.js';
import type { RunnerOptions } from '../../../src/infrastructure/projections/engine/runner.js';
import { CheckpointWaiter } from '../../../src/infrastructure/projections/engine/waiter.js';
import { liveTableName } from '../../../src/projections/table-names.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import type { Connection } from './backends.js';

/** Short leases and waits, so that takeovers happen within a test's patience. */
export const FAST: RunnerOptions = {
  batchSize: 50,
  leaseMs: 1500,
  renewMs: 200,
  idleWaitMs: 500,
  maxBackoffMs: 300,
  lingerMs: 10,
  skipCommitMs: 1000,
};

export const silent = createLogger('silent');

export function engineOn(
  connection: Connection,
  projections: Projection[],
  options: Partial<RunnerOptions> = {},
  owner?: string,
  home?: { slot: number; slots: number },
) {
  const waiter = new CheckpointWaiter(connection.knex, 20);
  const engine = new ProjectionEngine({
    knex: connection.knex,
    eventStore: connection.eventStore,
    logger: silent,
    registry: new ProjectionRegistry(() => projections),
    waiter,
    options: { ...FAST, ...options },
    owner,
    home,
  });
  return { engine, waiter };
}

export function storesOf(knex: Knex) {
  return { leases: new LeaseStore(knex), failures: new FailureStore(knex) };
}

/** Every row of a projection's live table, in a stable order, as plain objects. */
export async function rowsOf(knex: Knex, projection: string, logical: string, orderBy: string): Promise<Record<string, unknown>[]> {
  const rows = await knex(liveTableName(projection, logical)).select().orderBy(orderBy);
  return rows.map((row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, normalise(value)])));
}

function normalise(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** Polls `check` until it returns true, or fails after `timeoutMs` (saying `what`, or what it says then). */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
  what: string | (() => string) = 'condition',
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
