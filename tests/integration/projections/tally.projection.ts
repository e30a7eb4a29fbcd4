import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { NewEvent, RecordedEvent } from '../../../src/application/ports/event-store.js';
import type { Projection, ProjectionContext, TableNames } from '../../../src/projections/projection.js';

export const COUNTED = 'Counted';
export const POISON = 'Poisoned';

export function counted(amount = 1): NewEvent {
  return { id: randomUUID(), type: COUNTED, data: { amount } };
}

export function poison(): NewEvent {
  return { id: randomUUID(), type: POISON, data: {} };
}

export function unrelated(): NewEvent {
  return { id: randomUUID(), type: 'SomethingElse', data: {} };
}

export interface TallyOptions {
  name?: string;
  /** Throws on a Poisoned event while true (flip it to "fix the bug"). */
  fragile?: { on: boolean };
  /** Called inside the transaction after the rows are written (to inject faults). */
  afterWrite?: (events: RecordedEvent[]) => void | Promise<void>;
  afterCommit?: (events: RecordedEvent[]) => Promise<void>;
}

/**
 * A test projection: one row per Counted event and a running tally per stream. A tally that
 * counts an event twice, or an entry written twice, shows a broken exactly-once.
 */
export function tallyProjection(options: TallyOptions = {}): Projection {
  return {
    name: options.name ?? 'tally',
    tables: ['entries', 'totals'],
    handles: options.fragile ? [COUNTED, POISON] : [COUNTED],
    async createTables(knex: Knex, tables: TableNames) {
      await knex.schema.createTable(tables('entries'), (t) => {
        t.bigInteger('position').notNullable().primary();
        t.string('stream_id', 200).notNullable().index();
        t.integer('amount').notNullable();
      });
      await knex.schema.createTable(tables('totals'), (t) => {
        t.string('stream_id', 200).notNullable().primary();
        t.integer('events').notNullable();
        t.integer('amount').notNullable();
        t.bigInteger('last_position').notNullable();
      });
    },
    async apply(events: RecordedEvent[], { trx, tables }: ProjectionContext) {
      if (options.fragile?.on && events.some((event) => event.type === POISON)) throw new Error('poisoned event');
      const rows = events
        .filter((event) => event.type === COUNTED)
        .map((event) => ({ position: event.position, stream_id: event.streamId, amount: (event.data as { amount: number }).amount }));
      if (rows.length === 0) return;
      await trx(tables('entries')).insert(rows);
      for (const row of rows) {
        await trx(tables('totals'))
          .insert({ stream_id: row.stream_id, events: 1, amount: row.amount, last_position: row.position })
          .onConflict('stream_id')
          .merge({
            events: trx.raw('?? + 1', [`${tables('totals')}.events`]),
            amount: trx.raw('?? + ?', [`${tables('totals')}.amount`, row.amount]),
            last_position: row.position,
          });
      }
      await options.afterWrite?.(events);
    },
    afterCommit: options.afterCommit,
  };
}
