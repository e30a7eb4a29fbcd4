import type { Knex } from 'knex';
import type { RecordedEvent } from '../application/ports/event-store.js';

/** Maps a projection's logical table name to the physical table in use (live or being rebuilt). */
export type TableNames = (logical: string) => string;

export interface ProjectionContext {
  trx: Knex.Transaction;
  tables: TableNames;
}

/**
 * A read model built from the global log. The engine feeds it the events it `handles`, in
 * position order, and commits its rows together with its checkpoint: each event lands once.
 */
export interface Projection {
  name: string;
  /** Logical names of the tables it owns (rebuilt into fresh tables, then swapped in). */
  tables: readonly string[];
  /** Event types it handles; the others are skipped (but still advance the checkpoint). */
  handles: readonly string[];
  /** Creates its tables under the given physical names. */
  createTables(knex: Knex, tables: TableNames): Promise<void>;
  /** Applies a batch of handled events inside the engine's transaction. */
  apply(events: RecordedEvent[], context: ProjectionContext): Promise<void>;
  /** Called after a batch committed (cache invalidation, notifications); failures are only logged. */
  afterCommit?(events: RecordedEvent[]): Promise<void>;
  /**
   * `false` for a reactor: it acts on new events, and a replay would act on history again. A rebuild
   * leaves its tables and checkpoint as they are; made anew (a restore), it starts at the log's head.
   */
  replays?: false;
}
