import { expect } from 'chai';
import { register } from 'prom-client';
import type { NewEvent } from '../../../src/application/ports/event-store.js';
import type { Projection } from '../../../src/projections/projection.js';
import { CheckpointMoved, commitBatch } from '../../../src/infrastructure/projections/engine/commit-batch.js';
import { readCheckpoint } from '../../../src/infrastructure/projections/engine/checkpoint-store.js';
import { ensureLiveTables } from '../../../src/infrastructure/projections/engine/ensure-tables.js';
import { LeaseLost } from '../../../src/infrastructure/projections/engine/lease.js';
import { liveTables } from '../../../src/projections/table-names.js';
import { CheckpointWaiter } from '../../../src/infrastructure/projections/engine/waiter.js';
import { uniqueName } from '../../support/services.js';
import { backendKinds, type Backend, type Connection } from './backends.js';
import { engineOn, eventually, rowsOf, storesOf } from './engine-fixture.js';
import { counted, poison, tallyProjection, unrelated } from './tally.projection.js';

/** `work`, or an error naming `what` after `ms`. */
async function within(ms: number, what: string, work: Promise<void> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `projection`'s tables, its lease taken by `holder`, `appended` as a new stream read back, and a batch target for `owner`. */
async function leasedBatch(db: Connection, projection: Projection, holder: string, owner: string, stream: string, appended: NewEvent[]) {
  await ensureLiveTables(db.knex, projection);
  const { leases } = storesOf(db.knex);
  expect(await leases.acquire(projection.name, holder, 60_000)).to.equal(true);
  await db.eventStore.append(stream, appended, 'no_stream');
  const events = await db.eventStore.readAll(0, 10);
  return { leases, events, target: { projection, tables: liveTables(projection.name), guard: { leases, name: projection.name, owner } } };
}

for (const kind of backendKinds) {
  describe(`projection runner: ${kind.name}`, function () {
    let backend: Backend;
    const stops: (() => Promise<void>)[] = [];

    beforeEach(async function () {
      backend = await kind.open(this);
    });

    afterEach(async () => {
      // each step bounded and named: a hang here once cost CI a bare 30 s hook timeout with no clue
      for (const [i, stop] of stops.splice(0).reverse().entries())
        await within(
          10_000,
          `engine.stop() #${i}`,
          stop().catch(() => undefined),
        );
      await within(15_000, 'backend.teardown()', backend?.teardown());
    });

    async function started(...args: Parameters<typeof engineOn>) {
      const running = engineOn(...args);
      await running.engine.start();
      stops.push(() => running.engine.stop());
      return running;
    }

    it('when events are appended, then each handled event lands once and unhandled ones still advance the checkpoint', async () => {
      const db = await backend.connect();
      const { waiter } = await started(db, [tallyProjection()]);
      await db.eventStore.append('counter-a', [counted(2), unrelated(), counted(3)], 'no_stream');
      const { position } = await db.eventStore.append('counter-b', [counted(5), unrelated()], 'no_stream');
      expect(await waiter.waitFor('tally', position, 5000)).to.equal(true);
      expect(await rowsOf(db.knex, 'tally', 'totals', 'stream_id')).to.deep.equal([
        { stream_id: 'counter-a', events: 2, amount: 5, last_position: 3 },
        { stream_id: 'counter-b', events: 1, amount: 5, last_position: 4 },
      ]);
      expect(await readCheckpoint(db.knex, liveTables('tally'))).to.equal(5);
    });

    it('when a batch fails after writing rows and the engine restarts, then every event still lands exactly once', async () => {
      const db = await backend.connect();
      let faults = 0;
      const projection = tallyProjection({
        afterWrite: () => {
          if (++faults % 3 === 0) throw Object.assign(new Error('deadlock (injected)'), { code: 'ER_LOCK_DEADLOCK' });
        },
      });
      const streams = Array.from({ length: 6 }, () => uniqueName('counter'));
      for (const stream of streams)
        await db.eventStore.append(
          stream,
          Array.from({ length: 40 }, () => counted(1)),
          'no_stream',
        );
      const first = engineOn(db, [projection], { batchSize: 7 });
      await first.engine.start();
      await eventually(async () => ((await readCheckpoint(db.knex, liveTables('tally'))) ?? 0) > 60, 5000, 'some progress');
      await first.engine.stop();
      const { position } = await db.eventStore.append(streams[0], [counted(1)], 40);
      const { waiter } = await started(db, [projection], { batchSize: 7 });
      expect(await waiter.waitFor('tally', position, 10_000)).to.equal(true);
      const totals = await rowsOf(db.knex, 'tally', 'totals', 'stream_id');
      expect(totals.map((row) => row.events).sort()).to.deep.equal([40, 40, 40, 40, 40, 41]);
      expect(await db.knex('tally_entries').count({ n: '*' }).first()).to.deep.include({ n: 241 });
      expect(faults).to.be.greaterThan(3);
    });

    it('when batches hold nothing the projection handles, then they are passed over without a commit each, and the checkpoint is written with the next handled event', async () => {
      const db = await backend.connect();
      let checkpointWrites = 0;
      db.knex.on('query', (query: { sql: string }) => {
        if (/^update .*tally_checkpoint/i.test(query.sql)) checkpointWrites += 1;
      });
      const { waiter } = await started(db, [tallyProjection()], { batchSize: 2, skipCommitMs: 60_000 });
      await db.eventStore.append(uniqueName('other'), Array.from({ length: 8 }, unrelated), 'no_stream');
      const { position } = await db.eventStore.append('counter-s', [counted(4)], 'no_stream');
      expect(await waiter.waitFor('tally', position, 5000)).to.equal(true);
      expect(await readCheckpoint(db.knex, liveTables('tally'))).to.equal(position);
      expect(await rowsOf(db.knex, 'tally', 'totals', 'stream_id')).to.deep.equal([
        { stream_id: 'counter-s', events: 1, amount: 4, last_position: position },
      ]);
      // five batches of two: four passed over, then one commit (two when the log ran dry between the appends)
      expect(checkpointWrites).to.be.within(1, 2);
    });

    it('when the log runs dry after batches passed over, then their checkpoint is written, and a restart reads on from it', async () => {
      const db = await backend.connect();
      const first = engineOn(db, [tallyProjection()], { batchSize: 2, skipCommitMs: 60_000 });
      await first.engine.start();
      const { position } = await db.eventStore.append(uniqueName('other'), Array.from({ length: 5 }, unrelated), 'no_stream');
      await eventually(async () => (await readCheckpoint(db.knex, liveTables('tally'))) === position, 5000, 'the checkpoint');
      await first.engine.stop();
      const next = await db.eventStore.append('counter-r', [counted(2)], 'no_stream');
      const { waiter } = await started(db, [tallyProjection()], { batchSize: 2, skipCommitMs: 60_000 });
      expect(await waiter.waitFor('tally', next.position, 5000)).to.equal(true);
      expect(await rowsOf(db.knex, 'tally', 'totals', 'stream_id')).to.deep.equal([
        { stream_id: 'counter-r', events: 1, amount: 2, last_position: next.position },
      ]);
    });

    it('when two runners race for one projection, then only one applies and the other takes over when it dies', async () => {
      const a = await backend.connect();
      const b = await backend.connect();
      const first = await started(a, [tallyProjection()], {}, 'runner-a');
      const second = await started(b, [tallyProjection()], {}, 'runner-b');
      expect([...first.engine.active(), ...second.engine.active()]).to.deep.equal(['tally']);
      const [holder, standby, holderDb] = first.engine.active().length ? [first, second, a] : [second, first, b];
      const { position } = await a.eventStore.append(
        'counter-x',
        Array.from({ length: 30 }, () => counted(1)),
        'no_stream',
      );
      expect(await standby.waiter.waitFor('tally', position, 5000)).to.equal(true);

      await holderDb.knex.destroy(); // the holder's database connection dies: it can neither renew nor commit
      const tookMs = await eventually(() => standby.engine.active().includes('tally'), 6000, 'the standby to take over');
      expect(tookMs).to.be.lessThan(4000);
      void holder;
      const other = holderDb === a ? b : a;
      const next = await other.eventStore.append('counter-x', [counted(1)], 30);
      expect(await standby.waiter.waitFor('tally', next.position, 5000)).to.equal(true);
      expect(await rowsOf(other.knex, 'tally', 'totals', 'stream_id')).to.deep.equal([
        { stream_id: 'counter-x', events: 31, amount: 31, last_position: next.position },
      ]);
    });

    it('when the first worker up takes every lease, then each projection away from its home worker is handed over, and every event lands once', async function () {
      // several workers need MySQL/MariaDB (WORKERS is ignored with SQLite); two SQLite handles in one thread lock each other out
      if (kind.name === 'SQLite') this.skip();
      const a = await backend.connect();
      const b = await backend.connect();
      const names = ['tally-0', 'tally-1', 'tally-2', 'tally-3'];
      const projections = () => names.map((name) => tallyProjection({ name }));
      const first = await started(a, projections(), {}, 'worker-0', { slot: 0, slots: 2 });
      expect(first.engine.active().sort()).to.deep.equal(names);
      await a.eventStore.append(
        'counter-h',
        Array.from({ length: 30 }, () => counted(1)),
        'no_stream',
      );
      const second = await started(b, projections(), {}, 'worker-1', { slot: 1, slots: 2 });
      await eventually(
        () => first.engine.active().sort().join() === 'tally-0,tally-2' && second.engine.active().sort().join() === 'tally-1,tally-3',
        8000,
        () =>
          `the leases to spread over their home workers: ${first.engine.active().sort().join()} | ${second.engine.active().sort().join()}`,
      );
      const { position } = await b.eventStore.append('counter-h', [counted(1)], 30);
      for (const name of names) {
        expect(await first.waiter.waitFor(name, position, 5000)).to.equal(true);
        expect(await rowsOf(a.knex, name, 'totals', 'stream_id')).to.deep.equal([
          { stream_id: 'counter-h', events: 31, amount: 31, last_position: position },
        ]);
      }
    });

    it("when a projection's home worker stops, then the worker still running takes its leases back", async function () {
      // several workers need MySQL/MariaDB (WORKERS is ignored with SQLite); two SQLite handles in one thread lock each other out
      if (kind.name === 'SQLite') this.skip();
      const a = await backend.connect();
      const b = await backend.connect();
      const projections = () => [tallyProjection({ name: 'tally-0' }), tallyProjection({ name: 'tally-1' })];
      const first = await started(a, projections(), {}, 'worker-0', { slot: 0, slots: 2 });
      const second = engineOn(b, projections(), {}, 'worker-1', { slot: 1, slots: 2 });
      await second.engine.start();
      await eventually(
        () => first.engine.active().join() === 'tally-0' && second.engine.active().join() === 'tally-1',
        8000,
        'the leases to spread',
      );
      await second.engine.stop();
      await eventually(() => first.engine.active().sort().join() === 'tally-0,tally-1', 8000, 'tally-1 to come back to worker 0');
      const { position } = await a.eventStore.append('counter-k', [counted(2)], 'no_stream');
      expect(await first.waiter.waitFor('tally-1', position, 5000)).to.equal(true);
      expect(await rowsOf(a.knex, 'tally-1', 'totals', 'stream_id')).to.deep.equal([
        { stream_id: 'counter-k', events: 1, amount: 2, last_position: position },
      ]);
    });

    it('when a runner no longer holds the lease, then its batch does not commit', async () => {
      const db = await backend.connect();
      const { events, target } = await leasedBatch(db, tallyProjection(), 'someone-else', 'deposed', 'counter-a', [counted(1)]);
      let error: unknown;
      await commitBatch(db.knex, target, 0, events).catch((caught) => (error = caught));
      expect(error).to.be.instanceOf(LeaseLost);
      expect(await readCheckpoint(db.knex, liveTables('tally'))).to.equal(0);
      expect(await rowsOf(db.knex, 'tally', 'entries', 'position')).to.deep.equal([]);
    });

    it('when the checkpoint moved under the holder, then its batch does not commit, and says so rather than a lost lease', async () => {
      const db = await backend.connect();
      const { events, target } = await leasedBatch(db, tallyProjection(), 'holder', 'holder', 'counter-m', [counted(1), counted(1)]);
      await commitBatch(db.knex, target, 0, events.slice(0, 1));
      let error: unknown;
      await commitBatch(db.knex, target, 0, events).catch((caught) => (error = caught));
      expect(error).to.be.instanceOf(CheckpointMoved);
      expect(await readCheckpoint(db.knex, liveTables('tally'))).to.equal(events[0].position);
      expect(await rowsOf(db.knex, 'tally', 'totals', 'stream_id')).to.deep.include.members([
        { stream_id: 'counter-m', events: 1, amount: 1, last_position: events[0].position },
      ]);
    });

    it('when a batch is being written, then nobody can take its lease until it has committed', async function () {
      // SQLite serialises writers instead: a taker waits on the database lock, not on the row
      if (kind.name === 'SQLite') this.skip();
      const [db, other] = [await backend.connect(), await backend.connect()];
      let release!: () => void;
      const written = new Promise<void>((resolve) => (release = resolve));
      let writing!: () => void;
      const inside = new Promise<void>((resolve) => (writing = resolve));
      const projection = tallyProjection({ afterWrite: () => (writing(), written) });
      const { leases, events, target } = await leasedBatch(db, projection, 'holder', 'holder', 'counter-n', [counted(1)]);
      const batch = commitBatch(db.knex, target, 0, events);
      await inside;
      let taken = false;
      const theft = storesOf(other.knex)
        .leases.steal('tally', 'thief', 60_000)
        .then(() => (taken = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(taken, 'the lease was taken while the batch was open').to.equal(false);
      release();
      await batch;
      await theft;
      expect(await readCheckpoint(db.knex, liveTables('tally'))).to.equal(events[0].position);
      expect((await leases.holder('tally'))?.owner).to.equal('thief');
    });

    it('when an event makes a projection throw, then that projection is failed at its position and the others carry on', async () => {
      const db = await backend.connect();
      const fragile = tallyProjection({ name: 'fragile', fragile: { on: true } });
      const { engine, waiter } = await started(db, [tallyProjection(), fragile]);
      await db.eventStore.append('counter-a', [counted(1), counted(1)], 'no_stream');
      const bad = await db.eventStore.append('counter-a', [poison()], 2);
      const { position } = await db.eventStore.append('counter-a', [counted(1), counted(1)], 3);
      expect(await waiter.waitFor('tally', position, 5000)).to.equal(true);
      await eventually(async () => (await engine.status()).some((s) => s.name === 'fragile' && s.state === 'failed'), 5000, 'failure');
      const fragileStatus = (await engine.status()).find((s) => s.name === 'fragile')!;
      expect(fragileStatus).to.deep.include({ state: 'failed', position: bad.position - 1, lagPositions: position - bad.position + 1 });
      expect(fragileStatus.failure).to.deep.include({ position: bad.position, eventType: 'Poisoned' });
      expect(fragileStatus.failure!.error).to.contain('poisoned event');
      expect((await engine.status()).find((s) => s.name === 'tally')).to.deep.include({ state: 'running', lagPositions: 0 });
      expect(await rowsOf(db.knex, 'fragile', 'totals', 'stream_id')).to.deep.equal([
        { stream_id: 'counter-a', events: 2, amount: 2, last_position: 2 },
      ]);
    });

    it('when events wait unapplied, then lag is reported in positions and seconds, also as gauges', async () => {
      const db = await backend.connect({ now: () => Date.now() - 60_000 });
      await db.eventStore.append('counter-a', [counted(1), counted(1), counted(1)], 'no_stream');
      const projection = tallyProjection();
      const { engine, waiter } = engineOn(db, [projection]);
      const before = (await engine.status())[0];
      expect(before).to.deep.include({ name: 'tally', state: 'new', position: 0, head: 3, lagPositions: 3 });
      expect(before.lagSeconds).to.be.within(59, 75);
      await engine.start();
      stops.push(() => engine.stop());
      expect(await waiter.waitFor('tally', 3, 5000)).to.equal(true);
      expect((await engine.status())[0]).to.deep.include({ state: 'running', position: 3, lagPositions: 0, lagSeconds: 0 });
      const text = await register.getSingleMetricAsString('onsale_projection_lag_positions');
      expect(text).to.contain('onsale_projection_lag_positions{projection="tally"} 0');
    });

    it('when a batch commits, then afterCommit receives its handled events, and its failure is not fatal', async () => {
      const db = await backend.connect();
      const seen: string[] = [];
      const projection = tallyProjection({
        afterCommit: async (events) => {
          seen.push(...events.map((event) => event.type));
          throw new Error('cache is down');
        },
      });
      const { waiter } = await started(db, [projection]);
      await db.eventStore.append('counter-a', [counted(1), unrelated()], 'no_stream');
      const { position } = await db.eventStore.append('counter-a', [counted(1)], 2);
      expect(await waiter.waitFor('tally', position, 5000)).to.equal(true);
      await eventually(() => seen.length === 2, 2000, 'afterCommit');
      expect(seen).to.deep.equal(['Counted', 'Counted']);
    });

    it('when another process runs the projection, then a waiter here resolves on its commit, and false at its timeout', async () => {
      const server = await backend.connect();
      const api = await backend.connect();
      await started(server, [tallyProjection()]);
      const waiter = new CheckpointWaiter(api.knex, 20);
      const { position } = await api.eventStore.append('counter-a', [counted(1)], 'no_stream');
      expect(await waiter.waitFor('tally', position, 5000)).to.equal(true);
      const startedAt = Date.now();
      expect(await waiter.waitFor('tally', position + 1, 150)).to.equal(false);
      expect(Date.now() - startedAt).to.be.within(140, 1000);
      expect(await waiter.waitFor('unknown', 1, 100)).to.equal(false);
    });
  });
}
