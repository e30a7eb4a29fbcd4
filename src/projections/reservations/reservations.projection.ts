import type { Knex } from 'knex';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import { RESERVATIONS_PROJECTION } from '../../application/booking/read-models.js';
import type { HoldConfirmed, ReservationCancelled } from '../../domain/booking/booking.events.js';
import { insertRows } from '../insert-rows.js';
import type { Projection, ProjectionContext, TableNames } from '../projection.js';

export const RESERVATIONS = 'reservations';

/** Each member's reservations, confirmed or cancelled. */
export const reservationsProjection: Projection = {
  name: RESERVATIONS_PROJECTION,
  tables: [RESERVATIONS],
  handles: ['HoldConfirmed', 'ReservationCancelled'],
  createTables,
  apply,
};

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  await knex.schema.createTable(tables(RESERVATIONS), (t) => {
    t.string('reservation_id', 100).notNullable().primary();
    t.string('member_id', 64).notNullable();
    t.string('show_id', 64).notNullable();
    t.string('hold_id', 100).notNullable();
    // JSON array of seat ids (empty for general admission).
    t.text('seats').notNullable();
    t.integer('quantity').notNullable();
    t.integer('total').notNullable();
    t.string('currency', 3).notNullable();
    t.string('status', 10).notNullable();
    t.string('confirmed_at', 30).notNullable();
    t.string('cancelled_at', 30).nullable();
    t.index(['member_id', 'confirmed_at'], `${tables(RESERVATIONS)}_member`);
    t.index(['show_id'], `${tables(RESERVATIONS)}_show`);
  });
}

/** Confirmations go in with multi-row inserts; a cancellation first writes the rows before it. */
async function apply(events: RecordedEvent[], { trx, tables }: ProjectionContext): Promise<void> {
  const table = tables(RESERVATIONS);
  let confirmed: Record<string, unknown>[] = [];
  const flush = async () => {
    await insertRows(trx, table, confirmed);
    confirmed = [];
  };
  for (const recorded of events) {
    const event = recorded as unknown as HoldConfirmed | ReservationCancelled;
    if (event.type === 'HoldConfirmed') {
      const d = event.data;
      confirmed.push({
        reservation_id: d.reservationId,
        member_id: d.memberId,
        show_id: d.showId,
        hold_id: d.holdId,
        seats: JSON.stringify(d.seats),
        quantity: d.quantity,
        total: d.total,
        currency: d.currency,
        status: 'confirmed',
        confirmed_at: d.confirmedAt,
      });
    } else {
      await flush();
      await trx(table)
        .where({ reservation_id: event.data.reservationId })
        .update({ status: 'cancelled', cancelled_at: event.data.cancelledAt });
    }
  }
  await flush();
}
