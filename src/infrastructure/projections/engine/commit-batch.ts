import type { Knex } from 'knex';
import type { RecordedEvent } from '../../../application/ports/event-store.js';
import { isMysql } from '../../database/knex.js';
import { advanceCheckpoint, readCheckpoint } from './checkpoint-store.js';
import { LeaseLost, type LeaseStore } from './lease.js';
import { CHECKPOINT_TABLE } from '../../../projections/table-names.js';
import type { Projection, TableNames } from '../../../projections/projection.js';

export interface BatchTarget {
  projection: Projection;
  /** Physical tables written: the live ones, or a rebuild's fresh ones. */
  tables: TableNames;
  /** When set, the batch commits only while this lease is held. */
  guard?: { leases: LeaseStore; name: string; owner: string };
}

/** The checkpoint was not where the runner thought: someone else committed. */
export class CheckpointMoved extends Error {
  constructor(projection: string, from: number) {
    super(`Checkpoint of ${projection} is no longer at ${from}`);
  }
}

/** The projection's own code threw while applying a batch. */
export class ApplyFailed extends Error {
  constructor(
    readonly projection: string,
    readonly events: RecordedEvent[],
    override readonly cause: unknown,
  ) {
    super(`${projection} failed to apply events ${events[0]?.position}…${events.at(-1)?.position}: ${(cause as Error)?.message ?? cause}`);
  }
}

/**
 * The checkpoint from `from` to `to`, with the guard's lease held to the commit. On MySQL one
 * statement does both (a round trip less for every batch of every projection); SQLite moves the
 * checkpoint first, which takes its write lock before the lease is read.
 */
async function advanceHolding(knex: Knex, trx: Knex.Transaction, target: BatchTarget, from: number, to: number): Promise<void> {
  const { projection, tables, guard } = target;
  if (guard && isMysql(knex)) {
    if (await guard.leases.advanceWhileHeld(trx, tables(CHECKPOINT_TABLE), guard.name, guard.owner, from, to)) return;
    if ((await readCheckpoint(trx, tables)) !== from) throw new CheckpointMoved(projection.name, from);
    throw new LeaseLost(guard.name, guard.owner);
  }
  if (!(await advanceCheckpoint(trx, tables, from, to))) throw new CheckpointMoved(projection.name, from);
  if (guard) await guard.leases.verify(trx, guard.name, guard.owner);
}

/**
 * Applies the handled events of `events` and moves the checkpoint from `from` to the last
 * position, in one transaction: the rows and the checkpoint commit together, or neither does.
 * The checkpoint is written first (compare-and-set, with the lease held: see advanceHolding).
 * Returns the handled events.
 */
export async function commitBatch(knex: Knex, target: BatchTarget, from: number, events: RecordedEvent[]): Promise<RecordedEvent[]> {
  const { projection, tables } = target;
  const handles = new Set(projection.handles);
  const handled = events.filter((event) => handles.has(event.type));
  const to = events.at(-1)?.position;
  if (to === undefined) return handled;
  await knex.transaction(async (trx) => {
    await advanceHolding(knex, trx, target, from, to);
    if (handled.length === 0) return;
    try {
      await projection.apply(handled, { trx, tables });
    } catch (error) {
      throw new ApplyFailed(projection.name, handled, error);
    }
  });
  return handled;
}
