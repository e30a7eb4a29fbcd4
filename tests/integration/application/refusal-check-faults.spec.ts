import { expect } from 'chai';
import { register } from 'prom-client';
import { BookingProcessor } from '../../../src/application/booking/booking-processor.js';
import { BookingStreams } from '../../../src/application/booking/booking-streams.js';
import { ShowStates } from '../../../src/application/catalog/show-states.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { holdIdOf } from '../../../src/domain/booking/booking-ids.js';
import { showDecider, showStreamId } from '../../../src/domain/catalog/show.decider.js';
import { openMysql, type Knex } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { MysqlEventStore } from '../../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { bookingMetrics } from '../../../src/infrastructure/booking/booking.metrics.js';
import { systemClock, uuidGenerator } from '../../../src/infrastructure/system-clock.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb.js';

async function checks(result: string): Promise<number> {
  const metric = register.getSingleMetric('onsale_booking_refusal_checks_total');
  const values = metric ? (await metric.get()).values : [];
  return values.find((value) => value.labels.result === result)?.value ?? 0;
}

describe('the refusal check when the store cannot answer (a private MariaDB, killed)', function () {
  this.timeout(120_000);
  let server: PrivateMariadb | undefined;
  let knex: Knex | undefined;
  let store: EventStore | undefined;

  before(async function () {
    server = await startPrivateMariadb(this);
    await server.sql('CREATE DATABASE onsale');
    knex = openMysql(`${server.rootUrl}/onsale`, 4);
    await migrateToLatest(knex);
    store = await MysqlEventStore.open(knex);
  });
  after(async () => {
    await knex?.destroy();
    await server?.remove();
  });

  it('when the head versions cannot be read, then the refusal stands as decided rather than failing', async () => {
    const shows = new ShowStates(store!, systemClock);
    shows.maxAgeMs = 600_000; // the show stays in memory while the store is down
    const processor = new BookingProcessor(store!, shows, systemClock, uuidGenerator, new BookingStreams(store!), bookingMetrics);
    const showId = uuidGenerator.next();
    const now = new Date();
    const show = {
      title: 'Down',
      venue: 'Hall',
      startsAt: new Date(now.getTime() + 86_400_000).toISOString(),
      salesOpenAt: new Date(now.getTime() - 1000).toISOString(),
      maxTicketsPerMember: 4,
      currency: 'EUR',
      seating: { sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 4, price: 100 }] },
      queue: { enabled: false, admitPerSecond: 1, maxActive: 1 },
    };
    const events = showDecider.decide({ type: 'ScheduleShow', showId, show, now }, showDecider.initialState());
    await store!.append(
      showStreamId(showId),
      events.map((e) => ({ id: uuidGenerator.next(), ...e })),
      'no_stream',
    );
    const hold = (memberId: string) =>
      processor.execute({
        showId,
        memberId,
        parts: ['A'],
        command: (at) => ({
          type: 'HoldSeats',
          showId,
          memberId,
          holdId: holdIdOf(showId, uuidGenerator.next().replace(/-/g, '').slice(0, 24)),
          request: { seats: ['A-1-1'] },
          now: at,
          expiresAt: new Date(at.getTime() + 60_000),
        }),
        result: () => null,
        newLedgerLikely: true,
      });
    await hold('first');
    await server!.kill();
    const before = await checks('current');
    const refused = await hold('second').catch((error: { code?: string; message: string }) => error);
    expect(refused, 'a refusal, not a connection error').to.have.property('code', 'BOOKING.SEATS_UNAVAILABLE');
    expect((await checks('current')) - before, 'checked, and stood').to.equal(1);
    await server!.start();
  });
});
