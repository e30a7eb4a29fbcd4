import { expect } from 'chai';
import { register } from 'prom-client';
import { BookingProcessor } from '../../../src/application/booking/booking-processor.js';
import { BookingStreams } from '../../../src/application/booking/booking-streams.js';
import { PoolShards } from '../../../src/application/booking/pool-shards.js';
import { ShowStates } from '../../../src/application/catalog/show-states.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import type { HoldRequest } from '../../../src/domain/booking/booking.commands.js';
import { holdIdOf } from '../../../src/domain/booking/booking-ids.js';
import { showDecider, showStreamId } from '../../../src/domain/catalog/show.decider.js';
import type { Seating } from '../../../src/domain/catalog/show.events.js';
import { STORE_BACKENDS, type StoreProcesses } from '../../support/store-processes.js';
import { bookingMetrics } from '../../../src/infrastructure/booking/booking.metrics.js';
import { systemClock, uuidGenerator } from '../../../src/infrastructure/system-clock.js';

/** A booking processor over its own store connection: one of these per simulated server process. */
function processorOn(store: EventStore): BookingProcessor {
  return new BookingProcessor(
    store,
    new ShowStates(store, systemClock),
    systemClock,
    uuidGenerator,
    new BookingStreams(store),
    bookingMetrics,
  );
}

let holds = 0;

function hold(processor: BookingProcessor, showId: string, memberId: string, request: HoldRequest, parts: string[]) {
  const holdId = holdIdOf(showId, (++holds).toString(16).padStart(16, '0'));
  return processor.execute({
    showId,
    memberId,
    parts,
    command: (now) => ({
      type: 'HoldSeats',
      showId,
      memberId,
      holdId,
      request,
      poolParts: parts,
      now,
      expiresAt: new Date(now.getTime() + 60_000),
    }),
    result: (state) => state.ledger.holds.get(holdId)!,
    newLedgerLikely: true,
  });
}

function release(processor: BookingProcessor, showId: string, memberId: string, holdId: string, parts: string[]) {
  return processor.execute({
    showId,
    memberId,
    parts,
    command: (now) => ({ type: 'ReleaseHold', showId, memberId, holdId, now }),
    result: () => null,
  });
}

/** The refusal metrics' values by label, for before/after comparisons. */
async function refusalFigures(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const name of ['onsale_booking_refusal_checks_total', 'onsale_booking_refusals_redecided_total']) {
    const metric = register.getSingleMetric(name);
    for (const value of metric ? (await metric.get()).values : []) {
      figures[`${name}:${Object.values(value.labels).join(',')}`] = value.value;
    }
  }
  return figures;
}

async function refusalCounts(figuresBefore: Record<string, number>) {
  const now = await refusalFigures();
  const delta = (key: string) => (now[key] ?? 0) - (figuresBefore[key] ?? 0);
  return {
    current: delta('onsale_booking_refusal_checks_total:current'),
    moved: delta('onsale_booking_refusal_checks_total:moved'),
    same: delta('onsale_booking_refusals_redecided_total:same'),
    differed: delta('onsale_booking_refusals_redecided_total:differed'),
  };
}

function processorSpec(name: string, harness: (context: Mocha.Context) => Promise<StoreProcesses>) {
  describe(`BookingProcessor on ${name} (two processes)`, function () {
    this.timeout(60_000);
    let setup: StoreProcesses;
    let stores: EventStore[] = [];
    let processors: BookingProcessor[] = [];

    before(async function () {
      setup = await harness(this);
      stores = [await setup.open(), await setup.open()];
      processors = stores.map(processorOn);
    });
    after(async () => {
      for (const store of stores) await store.close();
      await setup?.teardown();
    });

    async function schedule(seating: Seating, maxTicketsPerMember = 4): Promise<string> {
      const showId = uuidGenerator.next();
      const now = new Date();
      const show = {
        title: 'Race',
        venue: 'Hall',
        startsAt: new Date(now.getTime() + 86_400_000).toISOString(),
        salesOpenAt: new Date(now.getTime() - 1000).toISOString(),
        maxTicketsPerMember,
        currency: 'EUR',
        seating,
        queue: { enabled: false, admitPerSecond: 1, maxActive: 1 },
      };
      const events = showDecider.decide({ type: 'ScheduleShow', showId, show, now }, showDecider.initialState());
      await stores[0]!.append(
        showStreamId(showId),
        events.map((e) => ({ id: uuidGenerator.next(), ...e })),
        'no_stream',
      );
      return showId;
    }

    it('when 200 members race through two processes for 20 seats, then every seat is held once and the rest are refused', async () => {
      const showId = await schedule({ sections: [{ id: 'A', name: 'A', rows: 2, seatsPerRow: 10, price: 100 }] });
      const wanted = Array.from({ length: 200 }, (_, i) => `A-${1 + (i % 2)}-${1 + Math.floor(Math.random() * 10)}`);
      const outcomes = await Promise.allSettled(
        wanted.map((seat, i) => hold(processors[i % 2]!, showId, `member-${i}`, { seats: [seat] }, ['A'])),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused.map((o) => o.reason.code).filter((code) => code !== 'BOOKING.SEATS_UNAVAILABLE')).to.deep.equal([]);
      expect(won.length).to.equal(new Set(wanted).size);
      const held = (await stores[0]!.readStream(`inventory-${showId}-A`)).flatMap((e) => (e.data as { seats: string[] }).seats);
      expect(held).to.have.length(won.length);
      expect(new Set(held).size).to.equal(held.length);
    });

    it('when one member sends ten holds at once through two processes, then exactly the limit of four is held', async () => {
      const showId = await schedule({ sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 10, price: 100 }] });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => hold(processors[i % 2]!, showId, 'greedy', { seats: [`A-1-${i + 1}`] }, ['A'])),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(4);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason.code);
      expect(new Set(refused)).to.deep.equal(new Set(['BOOKING.LIMIT_EXCEEDED']));
      const ledger = await stores[1]!.readStream(`bookings-${showId}-greedy`);
      expect(ledger.filter((e) => e.type === 'HoldPlaced')).to.have.length(4);
    });

    it('when 60 members ask a 100-ticket pool for two each through two processes, then exactly 100 are held', async () => {
      const showId = await schedule({ generalAdmission: { capacity: 100, price: 100 } });
      const shards = ['ga0', 'ga1', 'ga2', 'ga3'];
      const outcomes = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          hold(processors[i % 2]!, showId, `fan-${i}`, { quantity: 2 }, i % 2 ? shards : [...shards].reverse()),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(50);
      let total = 0;
      for (const shard of shards) {
        total += (await stores[0]!.readStream(`inventory-${showId}-${shard}`)).reduce(
          (sum, e) => sum + (e.data as { quantity: number }).quantity,
          0,
        );
      }
      expect(total).to.equal(100);
    });

    it('when 40 members who booked through the other process come back in one batch, then one re-read serves them all', async () => {
      const showId = await schedule({ sections: [{ id: 'A', name: 'A', rows: 3, seatsPerRow: 40, price: 100 }] });
      const members = Array.from({ length: 40 }, (_, i) => `returning-${i}`);
      const round = (processor: BookingProcessor, row: number) =>
        Promise.allSettled(members.map((member, i) => hold(processor, showId, member, { seats: [`A-${row}-${i + 1}`] }, ['A'])));
      const [first, second] = processors as [BookingProcessor, BookingProcessor];
      const budget = [first.maxAttempts, second.maxAttempts];
      // one lost append per member would need 41 attempts: three must do
      first.maxAttempts = second.maxAttempts = 3;
      try {
        // each round is one batch in one process: the second finds ledgers it took to be new, the third ledgers it knew at an older version
        const rounds = [await round(first, 1), await round(second, 2), await round(first, 3)];
        for (const outcomes of rounds) expect(outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason.code)).to.deep.equal([]);
      } finally {
        [first.maxAttempts, second.maxAttempts] = budget as [number, number];
      }
      const ledger = await stores[0]!.readStream(`bookings-${showId}-returning-7`);
      expect(ledger.filter((e) => e.type === 'HoldPlaced')).to.have.length(3);
    });

    it('when a command shares streams with two batches, then it waits for them rather than merging them, and no batch outgrows maxBatch', async () => {
      const showId = await schedule({
        sections: [
          { id: 'A', name: 'A', rows: 1, seatsPerRow: 20, price: 100 },
          { id: 'B', name: 'B', rows: 1, seatsPerRow: 20, price: 100 },
        ],
      });
      const [processor] = processors as [BookingProcessor];
      const inA = Array.from({ length: 10 }, (_, i) => hold(processor, showId, `a-${i}`, { seats: [`A-1-${i + 1}`] }, ['A']));
      const inB = Array.from({ length: 10 }, (_, i) => hold(processor, showId, `b-${i}`, { seats: [`B-1-${i + 1}`] }, ['B']));
      // member a-0's ledger is in A's batch, section B in B's: it bridges the two
      const bridging = hold(processor, showId, 'a-0', { seats: ['B-1-20'] }, ['B']);
      const positions = async (holds: Promise<{ position: number }>[]) => new Set((await Promise.all(holds)).map((o) => o.position));
      const [a, b, bridge] = [await positions(inA), await positions(inB), await positions([bridging])];
      expect(a.size, 'A in one append').to.equal(1);
      expect(b.size, 'B in one append').to.equal(1);
      expect([...a, ...b]).to.not.include([...bridge][0]);
      expect([...a][0]).to.not.equal([...b][0]);

      const budget = processor.maxBatch;
      processor.maxBatch = 4;
      try {
        const capped = await positions(
          Array.from({ length: 10 }, (_, i) => hold(processor, showId, `c-${i}`, { seats: [`A-1-${i + 11}`] }, ['A'])),
        );
        expect(capped.size, 'ten holds in batches of four at most').to.be.at.least(3);
      } finally {
        processor.maxBatch = budget;
      }
    });

    it('when two processes take pool tickets from shards of their own, then neither loses an append to the other', async () => {
      const showId = await schedule({ generalAdmission: { capacity: 400, price: 100 } });
      const pool = Array.from({ length: 16 }, (_, i) => `ga${i}`);
      const shards = [new PoolShards(0, 2), new PoolShards(1, 2)];
      const conflictsBefore = processors.map((p) => p.conflicts);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 120 }, (_, i) => hold(processors[i % 2]!, showId, `own-${i}`, { quantity: 1 }, shards[i % 2]!.first(pool))),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).to.deep.equal([]);
      expect(processors.map((p, i) => p.conflicts - conflictsBefore[i]!)).to.deep.equal([0, 0]);
      const soldFrom = async (shard: string) => (await stores[0]!.readStream(`inventory-${showId}-${shard}`)).length;
      expect(await Promise.all(pool.map(soldFrom))).to.satisfy((counts: number[]) => counts.every((n) => n > 0));
    });

    it('when a hold is refused on a ledger another process has changed since, then it is decided again on fresh state and done', async () => {
      const showId = await schedule({ sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 10, price: 100 }] }, 3);
      const [zero, one] = processors as [BookingProcessor, BookingProcessor];
      const first = await hold(zero, showId, 'limited', { seats: ['A-1-1', 'A-1-2'] }, ['A']);
      await hold(zero, showId, 'limited', { seats: ['A-1-3'] }, ['A']);
      await release(one, showId, 'limited', first.result.holdId, ['A']);
      const before = await refusalFigures();
      const again = await hold(zero, showId, 'limited', { seats: ['A-1-4', 'A-1-5'] }, ['A']);
      expect(again.result.seats).to.deep.equal(['A-1-4', 'A-1-5']);
      expect(await refusalCounts(before)).to.deep.equal({ current: 0, moved: 1, same: 0, differed: 1 });
    });

    it('when a seat is refused on an inventory another process has freed since, then it is decided again on fresh state and held', async () => {
      const showId = await schedule({ sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 10, price: 100 }] });
      const [zero, one] = processors as [BookingProcessor, BookingProcessor];
      const first = await hold(zero, showId, 'first', { seats: ['A-1-1'] }, ['A']);
      const refused = await hold(zero, showId, 'second', { seats: ['A-1-1'] }, ['A']).catch((error: { code: string }) => error);
      expect(refused).to.have.property('code', 'BOOKING.SEATS_UNAVAILABLE');
      await release(one, showId, 'first', first.result.holdId, ['A']);
      const before = await refusalFigures();
      const held = await hold(zero, showId, 'second', { seats: ['A-1-1'] }, ['A']);
      expect(held.result.seats).to.deep.equal(['A-1-1']);
      expect(await refusalCounts(before)).to.deep.equal({ current: 0, moved: 1, same: 0, differed: 1 });
    });

    it('when nothing moved in the store, then a refusal stands after one check of head versions', async () => {
      const showId = await schedule({ generalAdmission: { capacity: 2, price: 100 } });
      const [zero, one] = processors as [BookingProcessor, BookingProcessor];
      await hold(one, showId, 'early', { quantity: 2 }, ['ga0']);
      for (const attempt of [1, 2]) {
        // the first reads the shard (not cached yet), the second takes it from memory: each is checked once, and stands
        const before = await refusalFigures();
        const refused = await hold(zero, showId, 'late', { quantity: 1 }, ['ga0']).catch((error: { code: string }) => error);
        expect(refused, `attempt ${attempt}`).to.have.property('code', 'BOOKING.SEATS_UNAVAILABLE');
        expect(await refusalCounts(before), `attempt ${attempt}`).to.deep.equal({ current: 1, moved: 0, same: 0, differed: 0 });
      }
    });

    it('when commands queue up in one process, then they share appends and one refusal fails only its command', async () => {
      const showId = await schedule({ sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 50, price: 100 }] });
      const seats = [...Array.from({ length: 40 }, (_, i) => `A-1-${i + 1}`), 'A-1-1'];
      const outcomes = await Promise.allSettled(
        seats.map((seat, i) => hold(processors[0]!, showId, `queue-${i}`, { seats: [seat] }, ['A'])),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(40);
      expect((outcomes[40] as PromiseRejectedResult).reason.code).to.equal('BOOKING.SEATS_UNAVAILABLE');
      const positions = new Set(outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value.position));
      expect(positions.size, 'appends for 40 holds').to.be.lessThan(40);
    });
  });
}

for (const backend of STORE_BACKENDS) processorSpec(backend.name, (context) => backend.start(context));
