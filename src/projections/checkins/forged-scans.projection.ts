import type { Knex } from 'knex';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import { FORGED_SCANS_PROJECTION } from '../../application/tickets/read-models.js';
import type { ForgedTicketScanned } from '../../domain/tickets/tickets.events.js';
import { insertRows } from '../insert-rows.js';
import type { Projection, ProjectionContext, TableNames } from '../projection.js';

export const FORGED = 'forged_scans';

/** Every forged code scanned at a door, by the show it is counted for and the gate: the organizer's alert. */
export const forgedScansProjection: Projection = {
  name: FORGED_SCANS_PROJECTION,
  tables: [FORGED],
  handles: ['ForgedTicketScanned'],
  createTables,
  apply,
};

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  await knex.schema.createTable(tables(FORGED), (t) => {
    t.bigInteger('position').notNullable().primary();
    t.string('show_id', 64).notNullable();
    t.string('gate', 40).notNullable();
    t.string('reason', 40).notNullable();
    t.string('claimed_show_id', 64).nullable();
    t.string('scanned_at', 30).notNullable();
    t.index(['show_id', 'gate'], `${tables(FORGED)}_gate`);
  });
}

async function apply(events: RecordedEvent[], { trx, tables }: ProjectionContext): Promise<void> {
  const rows = events.map((recorded) => {
    const { showId, gate, reason, claimedShowId, scannedAt } = (recorded as unknown as ForgedTicketScanned).data;
    return { position: recorded.position, show_id: showId, gate, reason, claimed_show_id: claimedShowId ?? null, scanned_at: scannedAt };
  });
  await insertRows(trx, tables(FORGED), rows);
}
