import type { Knex } from 'knex';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import { CHECKINS_PROJECTION } from '../../application/tickets/read-models.js';
import type { TicketCheckedIn } from '../../domain/tickets/tickets.events.js';
import { insertRows } from '../insert-rows.js';
import type { Projection, ProjectionContext, TableNames } from '../projection.js';

export const ADMITTED = 'admitted';

/** Every ticket admitted at the door: counts per show and gate, and the door's list of used tickets. */
export const checkInsProjection: Projection = {
  name: CHECKINS_PROJECTION,
  tables: [ADMITTED],
  handles: ['TicketCheckedIn'],
  createTables,
  apply,
};

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  await knex.schema.createTable(tables(ADMITTED), (t) => {
    t.string('ticket_id', 110).notNullable().primary();
    t.string('show_id', 64).notNullable();
    t.string('reservation_id', 100).notNullable();
    t.string('seat', 20).notNullable();
    t.string('gate', 40).notNullable();
    t.string('checked_in_at', 30).notNullable();
    t.index(['show_id', 'gate'], `${tables(ADMITTED)}_gate`);
  });
}

/** Each ticket is checked in once (the decider's rule), so a check-in is one insert. */
async function apply(events: RecordedEvent[], { trx, tables }: ProjectionContext): Promise<void> {
  const rows = events.map((recorded) => {
    const { ticketId, showId, reservationId, seat, gate, checkedInAt } = (recorded as unknown as TicketCheckedIn).data;
    return { ticket_id: ticketId, show_id: showId, reservation_id: reservationId, seat, gate, checked_in_at: checkedInAt };
  });
  await insertRows(trx, tables(ADMITTED), rows);
}
