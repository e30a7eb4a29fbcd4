import { expect } from 'chai';
import type { DependencyContainer } from 'tsyringe';
import {
  SEAT_MAP_PROJECTION,
  RESERVATIONS_PROJECTION,
  SALES_PROJECTION,
  SHOWS_PROJECTION,
} from '../../../src/application/booking/read-models.js';
import { ScheduleShowHandler } from '../../../src/application/catalog/schedule-show.handler.js';
import type { EventStore, RecordedEvent } from '../../../src/application/ports/event-store.js';
import type { ProjectionWaiter } from '../../../src/application/ports/projection-waiter.js';
import { TOKENS } from '../../../src/application/tokens.js';
import type { ShowDefinition } from '../../../src/domain/catalog/show.events.js';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import type { SeedMember } from '../../../src/infrastructure/cli/seed-output.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { seatsOf } from '../../../src/projections/seat-map/compact-seat-map.js';
import { JsonClient, startServerProcess, type JsonReply, type ServerProcess } from '../../support/server-process.js';
import { requireService, TEST_REDIS_URL } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';

const MEMBERS = 1000;
const TICKETS = 100;
const TTL_SECONDS = 2;

interface Tally {
  holds: number;
  confirmed: Set<string>;
  released: number;
  abandoned: number;
  unavailable: number;
  limited: number;
  busy: number;
  unexpected: string[];
}

/** A database of the suite's own: its URL and how to drop it. */
export interface OversellDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * The oversell test: two server processes on one MySQL/MariaDB (one server, or a Galera cluster
 * through its writer path) + Redis, 1,000 members racing for 100 reserved seats and then for a
 * 100-ticket pool, with confirms, releases and abandoned holds that expire. Exactly 100 are sold, no
 * seat twice, and the event store and every read model agree.
 */
export function oversellSuite(title: string, createDatabase: (context: Mocha.Context) => Promise<OversellDatabase>): void {
  describe(title, function () {
    this.timeout(240_000);
    const data = tempDataDir();
    let database: OversellDatabase | undefined;
    let servers: ServerProcess[] = [];
    let container: DependencyContainer | undefined;
    let members: SeedMember[] = [];
    const client = new JsonClient(256);

    before(async function () {
      await requireService(this, 'redis');
      database = await createDatabase(this);
      const env = {
        MYSQL_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        DATA_DIR: data.dir,
        JWT_SECRET: 'oversell-test-secret-of-at-least-32-characters',
        HOLD_TTL_SECONDS: String(TTL_SECONDS),
      };
      const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
      members = (await seedSale(config, { members: MEMBERS, shows: [], concurrency: 32 })).members;
      servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
      container = await buildContainer(config);
    });

    after(async () => {
      client.close();
      await Promise.all(servers.map((server) => server.stop()));
      if (container) {
        await container.resolve<EventStore>(TOKENS.EventStore).close();
        await container.resolve<Knex>(TOKENS.Knex).destroy();
        if (container.isRegistered(TOKENS.Redis)) (container.resolve(TOKENS.Redis) as { disconnect(): void }).disconnect();
      }
      await database?.drop();
      data.remove();
    });

    it('when 1,000 members race for 100 reserved seats, then exactly 100 are sold, none twice, and every model agrees', async () => {
      const sections = [
        { id: 'A', name: 'Front', rows: 5, seatsPerRow: 10, price: 9000 },
        { id: 'B', name: 'Back', rows: 5, seatsPerRow: 10, price: 5000 },
      ];
      const showId = await schedule({ sections });
      const tally = await race(showId, async (attempt) => {
        if (attempt === 0)
          return {
            seats: pick(
              Array.from({ length: 10 }, (_, i) => `A-1-${i + 1}`),
              1 + Math.floor(Math.random() * 2),
            ),
          };
        const map = await client.request(servers[attempt % 2]!.port, 'GET', `/api/shows/${showId}/seats`);
        if (map.status !== 200) {
          // a busy server may shed a read (429, 503 with Retry-After): look again later; anything else fails here, with its body
          expect([429, 503], `GET seats answered ${map.status} ${JSON.stringify(map.body)}`).to.include(map.status);
          return undefined;
        }
        const free = seatsOf(map.body)
          .filter((s) => s.status === 'available')
          .map((s) => s.id);
        return free.length ? { seats: pick(free, Math.min(free.length, 1 + Math.floor(Math.random() * 2))) } : undefined;
      });
      const events = await settledEvents(showId);
      const soldSeats = events.filter((e) => e.type === 'SeatsSold').flatMap((e) => (e.data as { seats: string[] }).seats);
      expect(soldSeats, 'seats sold').to.have.length(TICKETS);
      expect(new Set(soldSeats).size, 'distinct seats sold').to.equal(TICKETS);
      await agree(showId, events, tally);
      const knex = container!.resolve<Knex>(TOKENS.Knex);
      const seatRows = await knex('seat_map_seats').where({ show_id: showId }).select('seat_id', 'status');
      expect(
        seatRows
          .filter((row) => row.status === 'sold')
          .map((row) => row.seat_id)
          .sort(),
      ).to.deep.equal([...soldSeats].sort());
      expect(
        seatRows.filter((row) => row.status === 'held'),
        'seats still held in the seat map',
      ).to.have.length(0);
    });

    it('when 1,000 members race for a 100-ticket general-admission pool, then exactly 100 are sold and every model agrees', async () => {
      const showId = await schedule({ generalAdmission: { capacity: TICKETS, price: 4000 } });
      const tally = await race(showId, async () => ({ quantity: Math.random() < 0.7 ? 1 : 2 }));
      const events = await settledEvents(showId);
      const sold = events.filter((e) => e.type === 'SeatsSold').reduce((sum, e) => sum + (e.data as { quantity: number }).quantity, 0);
      expect(sold, 'tickets sold').to.equal(TICKETS);
      const shards = new Set(events.filter((e) => e.type === 'SeatsSold').map((e) => e.streamId));
      expect(shards.size, 'pool shards sold from').to.be.greaterThan(1);
      await agree(showId, events, tally);
    });

    async function schedule(seating: ShowDefinition['seating']): Promise<string> {
      const now = Date.now();
      const { showId } = await container!.resolve(ScheduleShowHandler).handle({
        title: 'Oversell',
        venue: 'Arena',
        startsAt: new Date(now + 86_400_000).toISOString(),
        salesOpenAt: new Date(now - 1000).toISOString(),
        maxTicketsPerMember: 4,
        currency: 'EUR',
        seating,
        queue: { enabled: false, admitPerSecond: 100, maxActive: 1000 },
      });
      // as a show is on the listing before its sale opens: the race starts once its read models have it
      // (a GET of the seat map before then is a 404, the show not yet known there)
      const head = await container!.resolve<EventStore>(TOKENS.EventStore).headPosition();
      const waiter = container!.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter);
      for (const projection of [SHOWS_PROJECTION, SEAT_MAP_PROJECTION]) {
        expect(await waiter.waitFor(projection, head, 20_000), `${projection} has the show`).to.equal(true);
      }
      return showId;
    }

    /** Every member tries until they hold and confirm, or the show sells out; a mix of outcomes on the way. */
    async function race(showId: string, request: (attempt: number) => Promise<unknown | undefined>): Promise<Tally> {
      const tally: Tally = {
        holds: 0,
        confirmed: new Set(),
        released: 0,
        abandoned: 0,
        unavailable: 0,
        limited: 0,
        busy: 0,
        unexpected: [],
      };
      let soldOut = false;
      const deadline = Date.now() + 90_000;
      const watcher = (async () => {
        while (!soldOut && Date.now() < deadline) {
          const show = await client.request(servers[0]!.port, 'GET', `/api/shows/${showId}`);
          soldOut = show.body.sold >= TICKETS;
          await sleep(200);
        }
      })();
      const member = async (who: SeedMember, index: number) => {
        for (let attempt = 0; !soldOut && Date.now() < deadline; attempt++) {
          const on = (offset: number) => servers[(index + attempt + offset) % 2]!.port;
          const body = await request(attempt);
          if (!body) {
            await sleep(300);
            continue;
          }
          const held = await client.request(on(0), 'POST', `/api/shows/${showId}/holds`, { token: who.accessToken, body });
          if (held.status === 201) {
            tally.holds++;
            const roll = Math.random();
            if (roll < 0.6 || attempt > 20) {
              const key = { 'Idempotency-Key': `confirm-${held.body.holdId}` };
              const confirms = await Promise.all(
                [0, ...(roll < 0.1 ? [1] : [])].map((offset) =>
                  retryBusy(tally, () =>
                    client.request(on(offset + 1), 'POST', `/api/holds/${held.body.holdId}/confirm`, {
                      token: who.accessToken,
                      headers: key,
                    }),
                  ),
                ),
              );
              for (const confirmed of confirms) {
                if (confirmed.status === 201) tally.confirmed.add(confirmed.body.reservationId);
                else if (confirmed.body?.code !== 'BOOKING.HOLD_EXPIRED')
                  tally.unexpected.push(`confirm ${confirmed.status} ${confirmed.body?.code}`);
              }
              if (confirms.some((c) => c.status === 201)) return;
            } else if (roll < 0.8) {
              const released = await retryBusy(tally, () =>
                client.request(on(1), 'DELETE', `/api/holds/${held.body.holdId}`, { token: who.accessToken }),
              );
              if (released.status === 204) tally.released++;
              else tally.unexpected.push(`release ${released.status} ${released.body?.code}`);
            } else {
              tally.abandoned++;
            }
          } else if (held.body?.code === 'BOOKING.SEATS_UNAVAILABLE') {
            tally.unavailable++;
            await sleep(20 + Math.random() * 100);
          } else if (held.body?.code === 'BOOKING.LIMIT_EXCEEDED') {
            tally.limited++;
            await sleep(500);
          } else if (held.status === 503) {
            // BOOKING.BUSY: the seats kept changing under contention; retry later
            tally.busy++;
            await sleep(100);
          } else {
            tally.unexpected.push(`hold ${held.status} ${held.body?.code}`);
            return;
          }
        }
      };
      const started = Date.now();
      await Promise.all(members.map(member));
      if (process.env.OVERSELL_VERBOSE)
        console.log({ seconds: (Date.now() - started) / 1000, soldOut, ...tally, confirmed: tally.confirmed.size });
      soldOut = true;
      await watcher;
      expect(tally.unexpected, 'unexpected answers').to.deep.equal([]);
      expect(tally.confirmed.size, 'members with a reservation').to.be.greaterThan(0);
      expect(tally.released, 'holds released').to.be.greaterThan(0);
      expect(tally.abandoned, 'holds abandoned to expiry').to.be.greaterThan(0);
      return tally;
    }

    /** The show's events once every abandoned hold has had time to expire and every read model has caught up. */
    async function settledEvents(showId: string): Promise<RecordedEvent[]> {
      await sleep(TTL_SECONDS * 1000 + 2000);
      const store = container!.resolve<EventStore>(TOKENS.EventStore);
      const head = await store.headPosition();
      const waiter = container!.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter);
      for (const projection of [SHOWS_PROJECTION, SEAT_MAP_PROJECTION, RESERVATIONS_PROJECTION, SALES_PROJECTION]) {
        expect(await waiter.waitFor(projection, head, 20_000), `${projection} caught up`).to.equal(true);
      }
      const events: RecordedEvent[] = [];
      for (let after = 0; ;) {
        const page = await store.readAll(after, 5000);
        if (page.length === 0) break;
        events.push(...page.filter((e) => (e.data as { showId?: string }).showId === showId));
        after = page.at(-1)!.position;
      }
      return events;
    }

    /** Every hold ended exactly once, and the read models and the API say what the events say. */
    async function agree(showId: string, events: RecordedEvent[], tally: Tally): Promise<void> {
      const count = (type: string) => events.filter((e) => e.type === type).length;
      const ends = new Map<string, string[]>();
      for (const e of events.filter((e) => ['HoldConfirmed', 'HoldReleased', 'HoldExpired'].includes(e.type))) {
        const holdId = (e.data as { holdId: string }).holdId;
        ends.set(holdId, [...(ends.get(holdId) ?? []), e.type]);
      }
      const placed = events.filter((e) => e.type === 'HoldPlaced').map((e) => (e.data as { holdId: string }).holdId);
      expect(placed.length, 'holds placed').to.equal(tally.holds);
      for (const holdId of placed) expect(ends.get(holdId), `ends of ${holdId}`).to.have.length(1);
      expect(count('HoldExpired'), 'holds expired').to.be.greaterThan(0);
      const confirmed = events.filter((e) => e.type === 'HoldConfirmed');
      expect(new Set(confirmed.map((e) => (e.data as { reservationId: string }).reservationId))).to.deep.equal(tally.confirmed);
      expect(confirmed.reduce((sum, e) => sum + (e.data as { quantity: number }).quantity, 0)).to.equal(TICKETS);

      const knex = container!.resolve<Knex>(TOKENS.Knex);
      const show = await knex('shows_shows').where({ show_id: showId }).first();
      expect(Number(show.sold), 'shows read model: sold').to.equal(TICKETS);
      expect(await knex('shows_open_holds').where({ show_id: showId }), 'open holds').to.have.length(0);
      const reservations = await knex('reservations_reservations').where({ show_id: showId, status: 'confirmed' });
      expect(
        reservations.reduce((sum, r) => sum + Number(r.quantity), 0),
        'reservations read model',
      ).to.equal(TICKETS);
      expect(new Set(reservations.map((r) => r.reservation_id))).to.deep.equal(tally.confirmed);
      const figures = await knex('sales_figures').where({ show_id: showId }).first();
      expect(Number(figures.tickets_sold), 'sales: tickets').to.equal(TICKETS);
      expect(Number(figures.holds_placed), 'sales: holds placed').to.equal(placed.length);
      expect(Number(figures.holds_expired), 'sales: holds expired').to.equal(count('HoldExpired'));
      expect(Number(figures.holds_released), 'sales: holds released').to.equal(count('HoldReleased'));
      for (const server of servers) {
        const answer = await client.request(server.port, 'GET', `/api/shows/${showId}`);
        expect(answer.body, `GET /api/shows/:id on port ${server.port}`).to.include({ sold: TICKETS, remaining: 0 });
      }
    }
  });
}

/** 503 BOOKING.BUSY says "try again" (a hot stream kept changing under another process): a client retries. */
async function retryBusy(tally: Tally, send: () => Promise<JsonReply>): Promise<JsonReply> {
  for (let attempt = 1; ; attempt++) {
    const reply = await send();
    if (reply.status !== 503 || attempt >= 20) return reply;
    tally.busy++;
    await sleep(100 * attempt);
  }
}

function pick<T>(from: T[], n: number): T[] {
  const copy = [...from];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
