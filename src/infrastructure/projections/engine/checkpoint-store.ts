import type { Knex } from 'knex';
import type { TableNames } from '../../../projections/projection.js';
import { CHECKPOINT_TABLE } from '../../../projections/table-names.js';

/** Creates a projection's checkpoint table (one row, id 1) at `position`. */
export async function createCheckpointTable(knex: Knex, tables: TableNames, position = 0): Promise<void> {
  await knex.schema.createTable(tables(CHECKPOINT_TABLE), (t) => {
    t.integer('id').notNullable().primary();
    t.bigInteger('position').notNullable();
    // Milliseconds since the epoch of the last commit.
    t.bigInteger('updated_at').notNullable();
  });
  await knex(tables(CHECKPOINT_TABLE)).insert({ id: 1, position, updated_at: Date.now() });
}

/** The projection's position, or undefined when its tables do not exist (yet). */
export async function readCheckpoint(db: Knex | Knex.Transaction, tables: TableNames): Promise<number | undefined> {
  try {
    const row = await db(tables(CHECKPOINT_TABLE)).where({ id: 1 }).first('position');
    return row ? Number(row.position) : undefined;
  } catch (error) {
    if (isMissingTable(error)) return undefined;
    throw error;
  }
}

/** Moves the checkpoint from `from` to `to`; false when it was no longer at `from`. */
export async function advanceCheckpoint(trx: Knex.Transaction, tables: TableNames, from: number, to: number): Promise<boolean> {
  const changed = await trx(tables(CHECKPOINT_TABLE)).where({ id: 1, position: from }).update({ position: to, updated_at: Date.now() });
  return changed === 1;
}

export function isMissingTable(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'ER_NO_SUCH_TABLE' || /no such table/i.test(message ?? '');
}
