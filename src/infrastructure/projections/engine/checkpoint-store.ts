import type { Knex } from 'knex';
import type { TableNames } from '../../../projections/projection.js';
import { CHECKPOINT_TABLE } from '../../../projections/table-names.js';
import { isMysql } from '../../database/knex.js';
import { LEASE_TABLE } from './lease.js';

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

/** Whose lease a guarded checkpoint write needs: lease `name` held by `owner`. */
export interface LeaseGuard {
  name: string;
  owner: string;
}

/**
 * Moves the checkpoint from `from` to `to` in one statement; false when it was no longer at
 * `from` or, with `heldBy`, when that lease is no longer held by its owner (the runner lost it).
 * With `heldBy` on MySQL/MariaDB the statement also writes the lease row (to itself), so that it
 * holds that row's lock until `db`'s transaction ends and nobody takes the lease before the
 * commit; a plain subquery would be a consistent read under READ COMMITTED, without a lock.
 * SQLite serialises writers: the first write of a transaction reads the latest rows and keeps
 * the write lock to the commit. `db` may be the knex itself: the statement is its own transaction.
 */
export async function advanceCheckpoint(
  db: Knex | Knex.Transaction,
  tables: TableNames,
  from: number,
  to: number,
  heldBy?: LeaseGuard,
): Promise<boolean> {
  const now = Date.now();
  if (heldBy && isMysql(db)) {
    const [result] = (await db.raw(
      'UPDATE ?? AS c JOIN ?? AS l ON l.name = ? AND l.owner = ? SET c.position = ?, c.updated_at = ?, l.owner = l.owner WHERE c.id = 1 AND c.position = ?',
      [tables(CHECKPOINT_TABLE), LEASE_TABLE, heldBy.name, heldBy.owner, to, now, from],
    )) as [{ affectedRows: number }];
    return result.affectedRows > 0;
  }
  const query = db(tables(CHECKPOINT_TABLE)).where({ id: 1, position: from });
  if (heldBy) query.whereExists((q) => q.select(db.raw('1')).from(LEASE_TABLE).where(heldBy));
  const changed = await query.update({ position: to, updated_at: now });
  return changed === 1;
}

export function isMissingTable(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'ER_NO_SUCH_TABLE' || /no such table/i.test(message ?? '');
}
