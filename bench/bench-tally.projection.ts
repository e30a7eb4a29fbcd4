import type { Knex } from 'knex';
import type { RecordedEvent } from '../src/application/ports/event-store.js';
import { insertRows } from '../src/projections/insert-rows.js';
import { incomingValue } from '../src/infrastructure/projections/engine/incoming-value.js';
import type { Projection, ProjectionContext, TableNames } from '../src/projections/projection.js';
import { BENCH_EVENT } from './bulk-load-events.js';

/**
 * The benchmark's read model, shaped like a real one: a row per event (a sale line) and a total
 * per stream (a show's counters), written with multi-row statements per batch.
 */
export const benchTallyProjection: Projection = {
  name: 'bench-tally',
  tables: ['lines', 'totals'],
  handles: [BENCH_EVENT],
  async createTables(knex: Knex, tables: TableNames) {
    await knex.schema.createTable(tables('lines'), (t) => {
      t.bigInteger('position').notNullable().primary();
      t.string('stream_id', 200).notNullable();
      t.string('seat', 40).notNullable();
      t.integer('amount').notNullable();
    });
    await knex.schema.createTable(tables('totals'), (t) => {
      t.string('stream_id', 200).notNullable().primary();
      t.integer('events').notNullable();
      t.bigInteger('amount').notNullable();
      t.bigInteger('last_position').notNullable();
    });
  },
  async apply(events: RecordedEvent[], { trx, tables }: ProjectionContext) {
    const lines = events.map((event) => {
      const data = event.data as { amount: number; seat: string };
      return { position: event.position, stream_id: event.streamId, seat: data.seat, amount: data.amount };
    });
    await insertRows(trx, tables('lines'), lines);
    const totals = new Map<string, { stream_id: string; events: number; amount: number; last_position: number }>();
    for (const line of lines) {
      const total = totals.get(line.stream_id) ?? { stream_id: line.stream_id, events: 0, amount: 0, last_position: 0 };
      total.events++;
      total.amount += line.amount;
      total.last_position = line.position;
      totals.set(line.stream_id, total);
    }
    const table = tables('totals');
    const rows = [...totals.values()];
    const chunk = 400;
    for (let i = 0; i < rows.length; i += chunk) {
      await trx(table)
        .insert(rows.slice(i, i + chunk))
        .onConflict('stream_id')
        .merge({
          events: trx.raw(`?? + ${incomingValue(trx, 'events')}`, [`${table}.events`]),
          amount: trx.raw(`?? + ${incomingValue(trx, 'amount')}`, [`${table}.amount`]),
          last_position: trx.raw(incomingValue(trx, 'last_position')),
        });
    }
  },
};
