import type { Knex } from 'knex';

// SQLite binds at most 32,766 parameters per statement; MySQL is bounded by max_allowed_packet.
const MAX_PARAMETERS = 30_000;
const MAX_ROWS = 2_000;

/**
 * Inserts many rows with multi-row `INSERT … VALUES (…), (…)` statements, in chunks both SQLite
 * and MySQL accept (knex compiles SQLite multi-row inserts into a compound SELECT capped at 500
 * terms, and slower). Every row must have the keys of the first.
 */
export async function insertRows(db: Knex | Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const chunk = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk);
    const bindings: unknown[] = [table, ...columns];
    for (const row of slice) for (const column of columns) bindings.push(row[column]);
    await db.raw(head + new Array(slice.length).fill(tuple).join(', '), bindings as Knex.RawBinding[]);
  }
}
