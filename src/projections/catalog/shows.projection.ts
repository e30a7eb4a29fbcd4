import type { Knex } from 'knex';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { SHOWS_PROJECTION } from '../../application/booking/read-models.js';
import type { InventoryEvent } from '../../domain/booking/booking.events.js';
import { applyChanges } from '../../domain/catalog/show.decider.js';
import type { ShowDefinition, ShowEvent } from '../../domain/catalog/show.events.js';
import { totalCapacity } from '../../domain/catalog/show-layout.js';
import type { Projection, ProjectionContext, TableNames } from '../projection.js';
import { ShowsBatch } from './shows-batch.js';
import { invalidate, showCacheKeys } from './show-cache-keys.js';

export const SHOWS = 'shows';
/** Open holds only (a row per hold and inventory part): what is held, and until when. */
export const OPEN_HOLDS = 'open_holds';

type Handled = ShowEvent | InventoryEvent;

export interface ShowsProjectionDeps {
  cache: ReadCache;
  /** After a batch that held or sold seats, with their shows (the sold-out reaction). */
  seatsTaken(showIds: Set<string>): Promise<void>;
}

/** The catalogue: one row per show with its sold count, and the open holds with their deadlines. */
export function showsProjection(deps: ShowsProjectionDeps): Projection {
  return {
    name: SHOWS_PROJECTION,
    tables: [SHOWS, OPEN_HOLDS],
    handles: ['ShowScheduled', 'ShowSaleChanged', 'SeatsHeld', 'SeatsSold', 'SeatsReleased'],
    createTables,
    apply,
    async afterCommit(events) {
      const shows = [...new Set(events.map((e) => (e.data as { showId: string }).showId))];
      const selling = new Set(
        events.filter((e) => e.type === 'SeatsHeld' || e.type === 'SeatsSold').map((e) => (e.data as { showId: string }).showId),
      );
      // independent of each other, and the runner's next batch waits for both: at once
      await Promise.all([invalidate(deps.cache, ['shows', ...shows.flatMap(showCacheKeys)]), deps.seatsTaken(selling)]);
    },
  };
}

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  await knex.schema.createTable(tables(SHOWS), (t) => {
    t.string('show_id', 64).notNullable().primary();
    t.string('title', 200).notNullable();
    t.string('venue', 200).notNullable();
    t.string('starts_at', 30)
      .notNullable()
      .index(`${tables(SHOWS)}_starts_at`);
    t.string('sales_open_at', 30).notNullable();
    t.string('sales_close_at', 30).nullable();
    t.integer('max_per_member').notNullable();
    t.string('currency', 3).notNullable();
    t.integer('capacity').notNullable();
    t.integer('sold').notNullable();
    // Tickets in open holds, expired or not: readers subtract only those still before their deadline.
    t.integer('held').notNullable();
    // JSON: seating and queue settings as scheduled or last changed.
    t.text('definition').notNullable();
    t.bigInteger('position').notNullable();
  });
  await knex.schema.createTable(tables(OPEN_HOLDS), (t) => {
    t.string('hold_id', 100).notNullable();
    t.string('part', 16).notNullable();
    t.string('show_id', 64).notNullable();
    t.string('member_id', 64).notNullable();
    t.integer('quantity').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.primary(['hold_id', 'part']);
    t.index(['show_id', 'expires_at'], `${tables(OPEN_HOLDS)}_show`);
    t.index(['expires_at'], `${tables(OPEN_HOLDS)}_deadline`);
  });
}

async function apply(events: RecordedEvent[], { trx, tables }: ProjectionContext): Promise<void> {
  const batch = new ShowsBatch();
  for (const recorded of events) {
    const event = recorded as unknown as Handled;
    if (event.type === 'ShowScheduled' || event.type === 'ShowSaleChanged') {
      // rare: keep them in order with what the batch has gathered so far
      await batch.write(trx, tables(SHOWS), tables(OPEN_HOLDS));
      await applyShowEvent(trx, tables, event, recorded.position);
    } else gather(batch, event);
  }
  await batch.write(trx, tables(SHOWS), tables(OPEN_HOLDS));
}

async function applyShowEvent(trx: Knex.Transaction, tables: TableNames, event: ShowEvent, position: number): Promise<void> {
  switch (event.type) {
    case 'ShowScheduled':
      await trx(tables(SHOWS)).insert({
        show_id: event.data.showId,
        ...showColumns(event.data.show),
        capacity: totalCapacity(event.data.show),
        sold: 0,
        held: 0,
        position,
      });
      return;
    case 'ShowSaleChanged': {
      const row = await trx(tables(SHOWS)).where({ show_id: event.data.showId }).first();
      if (!row) return;
      const current = JSON.parse(row.definition) as ShowDefinition;
      await trx(tables(SHOWS))
        .where({ show_id: event.data.showId })
        .update({ ...showColumns(applyChanges(current, event.data.changes)), position });
      return;
    }
    default: {
      const never: never = event;
      throw new Error(`Unhandled event ${JSON.stringify(never)}`);
    }
  }
}

function gather(batch: ShowsBatch, event: InventoryEvent): void {
  switch (event.type) {
    case 'SeatsHeld': {
      const { holdId, part, showId, memberId, quantity, expiresAt } = event.data;
      batch.open({ hold_id: holdId, part, show_id: showId, member_id: memberId, quantity, expires_at: Date.parse(expiresAt) });
      return batch.count(showId, quantity, 0);
    }
    case 'SeatsSold':
      batch.close(event.data.holdId, event.data.part);
      return batch.count(event.data.showId, -event.data.quantity, event.data.quantity);
    case 'SeatsReleased':
      if (event.data.reason === 'cancelled') return batch.count(event.data.showId, 0, -event.data.quantity);
      batch.close(event.data.holdId, event.data.part);
      return batch.count(event.data.showId, -event.data.quantity, 0);
    default: {
      const never: never = event;
      throw new Error(`Unhandled event ${JSON.stringify(never)}`);
    }
  }
}

function showColumns(show: ShowDefinition) {
  return {
    title: show.title,
    venue: show.venue,
    starts_at: show.startsAt,
    sales_open_at: show.salesOpenAt,
    sales_close_at: show.salesCloseAt ?? null,
    max_per_member: show.maxTicketsPerMember,
    currency: show.currency,
    definition: JSON.stringify(show),
  };
}
