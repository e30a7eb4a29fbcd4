import type { Knex } from 'knex';
import { isMysql } from '../../database/knex.js';

/**
 * In an upsert's update part, the value the insert tried to write: `VALUES(col)` on MySQL/MariaDB,
 * `excluded.col` on SQLite. Lets a projection add a batch's sums with one multi-row statement:
 * `.onConflict('id').merge({ n: db.raw('?? + ' + incomingValue(db, 'n'), ['table.n']) })`.
 */
export function incomingValue(db: Knex | Knex.Transaction, column: string): string {
  return isMysql(db as Knex) ? `VALUES(\`${column}\`)` : `excluded."${column}"`;
}
