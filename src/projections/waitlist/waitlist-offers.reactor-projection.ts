import type { Knex } from 'knex';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import type { OfferReturnedSeatsReactor } from '../../application/waitlist/offer-returned-seats.reactor.js';
import type { Projection, TableNames } from '../projection.js';
import { liveTableName } from '../table-names.js';

export const WAITLIST_OFFERS_PROJECTION = 'waitlist-offers';
const PENDING = 'pending';

/**
 * Events older than this are not acted on: a first start or a rebuild replays the log, and seats
 * returned long ago are not offered now (they were on sale since).
 */
export const WAITLIST_REACT_MAX_AGE_MS = 10 * 60_000;

type Reacting = Pick<OfferReturnedSeatsReactor, 'reactAll'>;

/**
 * The waiting list's reactor on the global log, through the projection engine (one process at a
 * time, by the lease). `apply` only queues each event the reactor may act on (`mayAct`: not the
 * confirmation of a hold that was no offer) in `waitlist_offers_pending`, in the engine's
 * transaction with its checkpoint; after the commit the queue is worked off in position order, a
 * page at a time, and a page's rows are deleted in one statement once their events were acted on.
 * The reactor writes to the event store (not this transaction: on SQLite that is the one
 * connection), so a row acted on twice (a crash between the reaction and the delete, a lost
 * lease) must change nothing more: it is idempotent by derived ids and the list's expected
 * version. A failed reaction stays queued (with those after it) for the next commit.
 */
export function waitlistOffersProjection(deps: { reactor: () => Reacting; knex: () => Knex; now: () => number }): Projection {
  let draining: Promise<void> | undefined;
  const drain = async () => {
    const table = liveTableName(WAITLIST_OFFERS_PROJECTION, PENDING);
    for (;;) {
      const rows = (await deps.knex()(table).orderBy('position').limit(100).select('position', 'event')) as Array<{
        position: number | string;
        event: string;
      }>;
      if (rows.length === 0) return;
      const acted: Array<number | string> = [];
      try {
        await deps.reactor().reactAll(
          rows.map((row) => JSON.parse(row.event) as RecordedEvent),
          (event) => acted.push(event.position),
        );
      } finally {
        // the rows acted on go in one statement (a failed reaction's row and those after it stay)
        if (acted.length > 0) await deps.knex()(table).whereIn('position', acted).delete();
      }
    }
  };
  return {
    name: WAITLIST_OFFERS_PROJECTION,
    tables: [PENDING],
    handles: ['SeatsReleased', 'HoldConfirmed'],
    // a rebuild or a restore must not offer seats that came back long ago again
    replays: false,
    createTables,
    apply: async (events, { trx, tables }) => {
      const at = deps.now();
      const recent = events.filter(
        (event) => at - new Date(event.metadata.recordedAt).getTime() <= WAITLIST_REACT_MAX_AGE_MS && mayAct(event),
      );
      if (recent.length === 0) return;
      const rows = recent.map((event) => ({ position: event.position, event: JSON.stringify(event) }));
      await trx(tables(PENDING)).insert(rows).onConflict('position').ignore();
    },
    afterCommit: async () => {
      draining ??= drain().finally(() => (draining = undefined));
      await draining;
    },
  };
}

/**
 * Whether the reactor may act on the event: a confirmation settles an offer only if its hold was
 * one, which a confirmation says since it records `waitlistOffer` (one written earlier, without
 * it, is queued and the reactor reads the list, as before). Every booking is a confirmation, and
 * a queued one is its event's text written, read back, parsed and deleted.
 */
function mayAct(event: RecordedEvent): boolean {
  return event.type !== 'HoldConfirmed' || (event.data as { waitlistOffer?: boolean }).waitlistOffer !== false;
}

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  await knex.schema.createTable(tables(PENDING), (t) => {
    t.bigInteger('position').notNullable().primary();
    t.text('event', 'mediumtext').notNullable();
  });
}
