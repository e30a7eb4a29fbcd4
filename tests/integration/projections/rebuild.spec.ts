import { expect } from 'chai';
import type { Knex } from 'knex';
import { readCheckpoint } from '../../../src/infrastructure/projections/engine/checkpoint-store.js';
import { rebuildProjection, RebuildInProgress, type RebuildDeps } from '../../../src/infrastructure/projections/engine/rebuild.js';
import { rebuildLeaseName } from '../../../src/infrastructure/projections/engine/status.js';
import { listTables } from '../../../src/infrastructure/projections/engine/sql-tables.js';
import { liveTables } from '../../../src/projections/table-names.js';
import { uniqueName } from '../../support/services.js';
import { backendKinds, type Backend, type Connection } from './backends.js';
import { engineOn, rowsOf, storesOf } from './engine-fixture.js';
import { counted, poison, tallyProjection, unrelated } from './tally.projection.js';

async function snapshot(knex: Knex, name = 'tally') {
  return {
    entries: await rowsOf(knex, name, 'entries', 'position'),
    totals: await rowsOf(knex, name, 'totals', 'stream_id'),
    checkpoint: await readCheckpoint(knex, liveTables(name)),
  };
}

async function fill(db: Connection, streams: number, perStream: number): Promise<number> {
  let position = 0;
  for (let s = 0; s < streams; s++) {
    const events = Array.from({ length: perStream }, (_, i) => (i % 5 === 4 ? unrelated() : counted((i % 7) + 1)));
    ({ position } = await db.eventStore.append(uniqueName('counter'), events, 'no_stream'));
  }
  return position;
}

function deps(db: Connection, owner = 'rebuild-test'): RebuildDeps {
  return { knex: db.knex, eventStore: db.eventStore, ...storesOf(db.knex), owner };
}

for (const kind of backendKinds) {
  describe(`projection rebuild: ${kind.name}`, function () {
    let backend: Backend;
    const stops: (() => Promise<void>)[] = [];

    beforeEach(async function () {
      backend = await kind.open(this);
    });

    afterEach(async () => {
      for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
      await backend?.teardown();
    });

    it('when rebuilt beside the live tables, then reads keep answering in full and the swap brings identical rows', async () => {
      const server = await backend.connect();
      const cli = await backend.connect();
      const head = await fill(server, 20, 60);
      const { engine, waiter } = engineOn(server, [tallyProjection()]);
      await engine.start();
      stops.push(() => engine.stop());
      expect(await waiter.waitFor('tally', head, 10_000)).to.equal(true);
      const live = await snapshot(server.knex);

      let reads = 0;
      let replaying = true;
      const reader = (async () => {
        while (replaying) {
          const [{ n }] = await server.knex('tally_entries').count({ n: '*' });
          expect(Number(n)).to.equal(live.entries.length);
          reads++;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      const result = await rebuildProjection(deps(cli), tallyProjection(), { batchSize: 100 }).finally(() => (replaying = false));
      await reader;

      expect(reads).to.be.greaterThan(0);
      expect(result).to.deep.include({ projection: 'tally', position: head, events: head });
      expect(await snapshot(server.knex)).to.deep.equal(live);
      expect((await listTables(server.knex)).filter((table) => table.startsWith('tally_'))).to.have.members([
        'tally_entries',
        'tally_totals',
        'tally_checkpoint',
      ]);
      const { position } = await server.eventStore.append('counter-after', [counted(9)], 'no_stream');
      expect(await waiter.waitFor('tally', position, 8000)).to.equal(true);
      expect(await rowsOf(server.knex, 'tally', 'totals', 'stream_id')).to.deep.include({
        stream_id: 'counter-after',
        events: 1,
        amount: 9,
        last_position: position,
      });
    });

    it('when a reactor (replays: false) is rebuilt, then nothing is replayed: made anew it starts at the head, else it is left as it was', async () => {
      const db = await backend.connect();
      const head = await fill(db, 2, 10);
      const reactor = { ...tallyProjection({ name: 'reacting' }), replays: false as const };
      const fresh = await rebuildProjection(deps(db), reactor);
      expect(fresh).to.include({ projection: 'reacting', position: head, events: 0 });
      expect(await snapshot(db.knex, 'reacting')).to.deep.equal({ entries: [], totals: [], checkpoint: head });
      const { position } = await db.eventStore.append(uniqueName('counter'), [counted(4)], 'no_stream');
      const { engine, waiter } = engineOn(db, [reactor]);
      await engine.start();
      try {
        expect(await waiter.waitFor('reacting', position, 5000)).to.equal(true);
      } finally {
        await engine.stop();
      }
      const before = await snapshot(db.knex, 'reacting');
      expect(before.entries, 'only the news').to.have.length(1);
      expect((await rebuildProjection(deps(db), reactor)).events).to.equal(0);
      expect(await snapshot(db.knex, 'reacting')).to.deep.equal(before);
    });

    it('when rebuilt twice (beside, then in place), then the tables are identical each time', async () => {
      const db = await backend.connect();
      await fill(db, 8, 40);
      await rebuildProjection(deps(db), tallyProjection(), { batchSize: 33 });
      const once = await snapshot(db.knex);
      await rebuildProjection(deps(db), tallyProjection(), { batchSize: 71 });
      const twice = await snapshot(db.knex);
      await rebuildProjection(deps(db), tallyProjection(), { inPlace: true, batchSize: 50 });
      const inPlace = await snapshot(db.knex);
      expect(once.entries).to.have.length(8 * 32);
      expect(twice).to.deep.equal(once);
      expect(inPlace).to.deep.equal(once);
    });

    it('when a failed projection is fixed and rebuilt, then its failure is cleared and the runner resumes', async () => {
      const db = await backend.connect();
      const fix = { on: true };
      const fragile = tallyProjection({ fragile: fix });
      const { engine, waiter } = engineOn(db, [fragile]);
      await engine.start();
      stops.push(() => engine.stop());
      await db.eventStore.append('counter-a', [counted(1), poison(), counted(1)], 'no_stream');
      let state = '';
      for (let i = 0; i < 200 && state !== 'failed'; i++) {
        state = (await engine.status())[0].state;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(state).to.equal('failed');
      let error: unknown;
      await rebuildProjection(deps(db), fragile).catch((caught) => (error = caught));
      expect((error as Error)?.message).to.contain('poisoned event');
      expect(await snapshot(db.knex)).to.deep.include({ checkpoint: 1 });

      fix.on = false;
      await rebuildProjection(deps(db), fragile);
      expect((await engine.status())[0]).to.deep.include({ position: 3, lagPositions: 0 });
      const { position } = await db.eventStore.append('counter-a', [counted(1)], 3);
      expect(await waiter.waitFor('tally', position, 8000)).to.equal(true);
      expect((await engine.status())[0]).to.deep.include({ state: 'running', failure: undefined });
      expect(await rowsOf(db.knex, 'tally', 'totals', 'stream_id')).to.deep.equal([
        { stream_id: 'counter-a', events: 3, amount: 3, last_position: 4 },
      ]);
    });

    it('when a rebuild of the projection is already running, then a second one is refused', async () => {
      const db = await backend.connect();
      await storesOf(db.knex).leases.acquire(rebuildLeaseName('tally'), 'other-rebuild', 60_000);
      let error: unknown;
      await rebuildProjection(deps(db), tallyProjection()).catch((caught) => (error = caught));
      expect(error).to.be.instanceOf(RebuildInProgress);
    });

    it('when a rebuild is interrupted, then its fresh tables are dropped, the live ones kept and the leases released', async () => {
      const db = await backend.connect();
      await fill(db, 4, 50);
      await rebuildProjection(deps(db), tallyProjection());
      const live = await snapshot(db.knex);
      const interrupt = new AbortController();
      let error: unknown;
      await rebuildProjection(deps(db), tallyProjection(), {
        batchSize: 20,
        signal: interrupt.signal,
        onProgress: ({ replayed }) => replayed >= 60 && interrupt.abort(new Error('interrupted')),
      }).catch((caught) => (error = caught));
      expect((error as Error)?.message).to.equal('interrupted');
      expect(await snapshot(db.knex)).to.deep.equal(live);
      expect((await listTables(db.knex)).filter((table) => table.includes('__'))).to.deep.equal([]);
      const { leases } = storesOf(db.knex);
      expect(await leases.holder('tally')).to.equal(undefined);
      expect(await leases.holder(rebuildLeaseName('tally'))).to.equal(undefined);
    });
  });
}
