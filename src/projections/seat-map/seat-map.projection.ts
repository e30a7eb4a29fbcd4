import type { Knex } from 'knex';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { SEAT_MAP_PROJECTION } from '../../application/booking/read-models.js';
import type { InventoryEvent } from '../../domain/booking/booking.events.js';
import { seatBlocked } from '../../domain/catalog/section-layout.js';
import type { ShowScheduled } from '../../domain/catalog/show.events.js';
import type { Projection, ProjectionContext, TableNames } from '../projection.js';
import { invalidate, showCacheKeys } from '../catalog/show-cache-keys.js';

export const SEATS = 'seats';

type Handled = ShowScheduled | InventoryEvent;

/**
 * Every reserved seat of every show with its state. A held seat keeps its deadline: readers treat
 * it as available once the deadline has passed, before the expiry is recorded.
 */
export function seatMapProjection(deps: { cache: ReadCache }): Projection {
  return {
    name: SEAT_MAP_PROJECTION,
    tables: [SEATS],
    handles: ['ShowScheduled', 'SeatsHeld', 'SeatsSold', 'SeatsReleased'],
    createTables,
    apply,
    async afterCommit(events) {
      const shows = new Set(events.map((e) => (e.data as { showId: string }).showId));
      await invalidate(deps.cache, [...shows].flatMap(showCacheKeys));
    },
  };
}

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  await knex.schema.createTable(tables(SEATS), (t) => {
    t.string('show_id', 64).notNullable();
    t.string('seat_id', 24).notNullable();
    t.string('section', 8).notNullable();
    t.integer('row_number').notNullable();
    t.integer('seat_number').notNullable();
    t.integer('price').notNullable();
    t.string('status', 10).notNullable();
    t.string('hold_id', 100).nullable();
    t.bigInteger('expires_at').nullable();
    t.primary(['show_id', 'seat_id']);
    t.index(['hold_id'], `${tables(SEATS)}_hold`);
  });
}

async function apply(events: RecordedEvent[], { trx, tables }: ProjectionContext): Promise<void> {
  const table = tables(SEATS);
  for (const recorded of events) {
    const event = recorded as unknown as Handled;
    switch (event.type) {
      case 'ShowScheduled':
        await insertSeats(trx, table, event);
        break;
      case 'SeatsHeld':
        if (event.data.seats.length === 0) break;
        await trx(table)
          .where({ show_id: event.data.showId })
          .whereIn('seat_id', event.data.seats)
          .update({ status: 'held', hold_id: event.data.holdId, expires_at: Date.parse(event.data.expiresAt) });
        break;
      case 'SeatsSold':
        if (event.data.seats.length === 0) break;
        await trx(table)
          .where({ show_id: event.data.showId, hold_id: event.data.holdId })
          .whereIn('seat_id', event.data.seats)
          .update({ status: 'sold' });
        break;
      case 'SeatsReleased':
        if (event.data.seats.length === 0) break;
        await trx(table)
          .where({ show_id: event.data.showId, hold_id: event.data.holdId })
          .whereIn('seat_id', event.data.seats)
          .update({ status: 'available', hold_id: null, expires_at: null });
        break;
      default: {
        const never: never = event;
        throw new Error(`Unhandled event ${JSON.stringify(never)}`);
      }
    }
  }
}

async function insertSeats(trx: Knex.Transaction, table: string, event: ShowScheduled): Promise<void> {
  const { seating } = event.data.show;
  if (!('sections' in seating)) return;
  // a blocked seat has no row: it is never held or sold, and the map draws it from the layout
  const rows = seating.sections.flatMap((section) =>
    Array.from({ length: section.rows * section.seatsPerRow }, (_, i) => {
      const row = Math.floor(i / section.seatsPerRow) + 1;
      const number = (i % section.seatsPerRow) + 1;
      if (seatBlocked(section, row, number)) return [];
      const seat = {
        show_id: event.data.showId,
        seat_id: `${section.id}-${row}-${number}`,
        section: section.id,
        row_number: row,
        seat_number: number,
        price: section.price,
        status: 'available',
      };
      return [seat];
    }).flat(),
  );
  for (let i = 0; i < rows.length; i += 500) await trx(table).insert(rows.slice(i, i + 500));
}
