import type { Projection, TableNames } from './projection.js';

/** The engine's own logical table in every projection's set: one row holding its position. */
export const CHECKPOINT_TABLE = 'checkpoint';

// Short enough that `<projection>_<table>__r<time>` stays within MySQL's 64 characters.
// No double separators: `__` marks a rebuild's tables.
const PROJECTION_NAME = /^(?=.{1,24}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const LOGICAL_NAME = /^(?=.{1,24}$)[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Physical name of a projection's live table: `seat-map` + `seats` → `seat_map_seats`. */
export function liveTableName(projection: string, logical: string): string {
  return `${projection.replaceAll('-', '_')}_${logical}`;
}

/** The live physical names of a projection's tables, for its queries. */
export function liveTables(projection: string): TableNames {
  return (logical) => liveTableName(projection, logical);
}

/** Physical names with a suffix, for the fresh tables of a rebuild. */
export function suffixedTables(projection: string, suffix: string): TableNames {
  return (logical) => `${liveTableName(projection, logical)}${suffix}`;
}

/** Every logical table the engine keeps for a projection: its own plus the checkpoint. */
export function allLogicalTables(projection: Projection): string[] {
  return [...projection.tables, CHECKPOINT_TABLE];
}

/** Throws when a projection's names would not make safe, short, distinct table names. */
export function checkProjectionNames(projection: Projection): void {
  if (!PROJECTION_NAME.test(projection.name)) {
    throw new Error(`Projection name "${projection.name}" must match ${PROJECTION_NAME} (it prefixes table names)`);
  }
  for (const table of projection.tables) {
    if (!LOGICAL_NAME.test(table)) throw new Error(`Projection ${projection.name}: table "${table}" must match ${LOGICAL_NAME}`);
    if (table === CHECKPOINT_TABLE) throw new Error(`Projection ${projection.name}: "${CHECKPOINT_TABLE}" is the engine's table`);
  }
}
