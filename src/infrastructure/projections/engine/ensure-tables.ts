import type { Knex } from 'knex';
import { createCheckpointTable, readCheckpoint } from './checkpoint-store.js';
import type { Projection } from '../../../projections/projection.js';
import { dropTables } from './sql-tables.js';
import { liveTableName, liveTables } from '../../../projections/table-names.js';

/**
 * Creates a projection's live tables and its checkpoint (at `startAt`, 0 by default) when the checkpoint is missing.
 * The checkpoint is created last: tables without one are leftovers, dropped and made again.
 * Call it while holding the projection's lease, so that two processes never race here.
 */
export async function ensureLiveTables(knex: Knex, projection: Projection, startAt = 0): Promise<boolean> {
  const tables = liveTables(projection.name);
  if ((await readCheckpoint(knex, tables)) !== undefined) return false;
  await dropTables(
    knex,
    projection.tables.map((logical) => liveTableName(projection.name, logical)),
  );
  await projection.createTables(knex, tables);
  await createCheckpointTable(knex, tables, startAt);
  return true;
}
