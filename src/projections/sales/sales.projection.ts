import type { Knex } from 'knex';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import { SALES_PROJECTION } from '../../application/booking/read-models.js';
import type { LedgerEvent } from '../../domain/booking/booking.events.js';
import type { Projection, ProjectionContext, TableNames } from '../projection.js';

export const FIGURES = 'figures';

const COUNTERS = [
  'holds_placed',
  'holds_confirmed',
  'holds_released',
  'holds_expired',
  'reservations_cancelled',
  'tickets_sold',
  'revenue',
] as const;

/** Sales figures per show: holds by outcome, tickets sold and revenue (net of cancellations). */
export const salesProjection: Projection = {
  name: SALES_PROJECTION,
  tables: [FIGURES],
  handles: ['HoldPlaced', 'HoldConfirmed', 'HoldReleased', 'HoldExpired', 'ReservationCancelled'],
  createTables,
  apply,
};

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  await knex.schema.createTable(tables(FIGURES), (t) => {
    t.string('show_id', 64).notNullable().primary();
    for (const counter of COUNTERS) t.bigInteger(counter).notNullable().defaultTo(0);
  });
}

async function apply(events: RecordedEvent[], { trx, tables }: ProjectionContext): Promise<void> {
  const table = tables(FIGURES);
  const deltas = new Map<string, Record<(typeof COUNTERS)[number], number>>();
  for (const recorded of events) {
    const event = recorded as unknown as LedgerEvent;
    const delta =
      deltas.get(event.data.showId) ?? (Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<(typeof COUNTERS)[number], number>);
    deltas.set(event.data.showId, delta);
    switch (event.type) {
      case 'HoldPlaced':
        delta.holds_placed++;
        break;
      case 'HoldConfirmed':
        delta.holds_confirmed++;
        delta.tickets_sold += event.data.quantity;
        delta.revenue += event.data.total;
        break;
      case 'HoldReleased':
        delta.holds_released++;
        break;
      case 'HoldExpired':
        delta.holds_expired++;
        break;
      case 'ReservationCancelled':
        delta.reservations_cancelled++;
        delta.tickets_sold -= event.data.quantity;
        delta.revenue -= event.data.total;
        break;
      default: {
        const never: never = event;
        throw new Error(`Unhandled event ${JSON.stringify(never)}`);
      }
    }
  }
  for (const [showId, delta] of deltas) {
    await trx(table).insert({ show_id: showId }).onConflict('show_id').ignore();
    const update = Object.fromEntries(COUNTERS.map((c) => [c, trx.raw('?? + ?', [c, delta[c]])]));
    await trx(table).where({ show_id: showId }).update(update);
  }
}
