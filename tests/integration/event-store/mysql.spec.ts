import { expect } from 'chai';
import type { Knex } from 'knex';
import { openMysql } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { LocalAppendNotifier } from '../../../src/infrastructure/event-store/append-notifier.js';
import { hashClaimValue } from '../../../src/infrastructure/event-store/claim-hash.js';
import { MysqlEventStore } from '../../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import type { ReadEventCache } from '../../../src/infrastructure/event-store/read-event-cache.js';
import { createTestDatabase, requireService, uniqueName, type TestDatabase } from '../../support/services.js';
import { event, eventStoreContract } from './event-store.contract.js';
import { expectCleanRace, raceOnStreams } from './race.js';

let database: TestDatabase | undefined;
const connections: Knex[] = [];

/** Each store has its own knex and writer pool on one database, like separate processes. */
async function connect(): Promise<Knex> {
  const knex = openMysql(database!.url, 4);
  connections.push(knex);
  if (connections.length === 1) await migrateToLatest(knex);
  return knex;
}

eventStoreContract('MySQL/MariaDB', async (context) => {
  await requireService(context, 'mysql');
  database = await createTestDatabase('onsale_es');
  return {
    open: async (options) => MysqlEventStore.open(await connect(), options),
    teardown: async () => {
      for (const knex of connections.splice(0)) await knex.destroy();
      await database?.drop();
    },
    gapless: true,
    shared: true,
  };
});

describe('MySQL event store schema', () => {
  let db: TestDatabase;
  let knex: Knex;

  before(async function () {
    await requireService(this, 'mysql');
    db = await createTestDatabase('onsale_es');
    knex = openMysql(db.url, 2);
    await migrateToLatest(knex);
  });

  after(async () => {
    await knex?.destroy();
    await db?.drop();
  });

  /**
   * Two stores on one notifier, each hearing of the other's commits as processes do through Redis,
   * each with a knex of its own; `statements` are those `mine` sends. Closed and destroyed after `body`.
   */
  async function withTwoStores(
    body: (stores: { mine: MysqlEventStore; other: MysqlEventStore; mineKnex: Knex; statements: string[] }) => Promise<void>,
    minePool = 2,
  ): Promise<void> {
    const notifier = new LocalAppendNotifier();
    const [mineKnex, theirsKnex] = [openMysql(db.url, minePool), openMysql(db.url, 2)];
    const [mine, other] = [await MysqlEventStore.open(mineKnex, { notifier }), await MysqlEventStore.open(theirsKnex, { notifier })];
    const statements: string[] = [];
    mineKnex.on('query', (query: { sql: string }) => statements.push(query.sql));
    try {
      await body({ mine, other, mineKnex, statements });
    } finally {
      await mine.close();
      await other.close();
      await Promise.all([mineKnex.destroy(), theirsKnex.destroy()]);
    }
  }

  it('when a value is claimed, then the claims table holds its sha256 and not the value', async () => {
    const store = await MysqlEventStore.open(knex);
    const value = `${uniqueName('ada')}@example.com`;
    await store.append(uniqueName('member'), [event()], 'no_stream', { claims: [{ scope: 'member-email', value }] });
    const rows = await knex('claims').select('scope', 'value_hash');
    expect(rows.map((row) => ({ ...row }))).to.deep.equal([{ scope: 'member-email', value_hash: hashClaimValue(value) }]);
    await store.close();
  });

  it('when a store reads back what it committed, then it gets the events whole without their data sent again, and one it knew wrongly is read in full', async () => {
    const [mine, other] = [await MysqlEventStore.open(knex), await MysqlEventStore.open(knex)];
    try {
      const stream = uniqueName('own');
      const { position } = await mine.append(
        stream,
        [event('Placed', { seats: ['A-1-1'] }, { metadata: { correlationId: 'c-1' } }), event()],
        'no_stream',
      );
      const read = await mine.readAll(position - 2, 10);
      // the other store knows none of it: it reads every row in full
      expect(read).to.deep.equal(await other.readAll(position - 2, 10));
      expect(read[0]).to.deep.include({ streamId: stream, version: 1, type: 'Placed', data: { seats: ['A-1-1'] } });
      expect(read[0].metadata).to.include({ correlationId: 'c-1', schemaVersion: 1 });
      // a position this store believes it knows holds another event: that row comes back in full
      const head = await mine.headPosition();
      const cache = (mine as unknown as { readCache: ReadEventCache }).readCache;
      cache.remember([
        {
          position: head + 1,
          id: 'not-this',
          stream_id: 's',
          version: 1,
          type: 'Wrong',
          data: '{}',
          metadata: '{}',
          schema_version: 1,
          recorded_at: 0,
        },
      ]);
      await other.append(uniqueName('theirs'), [event('Theirs', { n: 2 })], 'no_stream');
      const [theirs] = await mine.readAll(head, 10);
      expect(theirs).to.deep.include({ position: head + 1, type: 'Theirs', data: { n: 2 } });
    } finally {
      await mine.close();
      await other.close();
    }
  });

  it('when a store reads a run it committed, as far as the head it knows of, then it sends no statement; past that head it reads the log', async () => {
    await withTwoStores(async ({ mine, other, statements }) => {
      const stream = uniqueName('own');
      const first = await mine.append(stream, [event('Placed', { n: 1 }), event('Placed', { n: 2 })], 'no_stream');
      statements.length = 0;
      const read = await mine.readAll(first.position - 2, 10);
      expect(statements, 'statements sent for a run this store committed').to.deep.equal([]);
      expect(read).to.deep.equal(await other.readAll(first.position - 2, 10));
      expect(read.map((e) => e.data)).to.deep.equal([{ n: 1 }, { n: 2 }]);

      const theirs = await other.append(uniqueName('theirs'), [event('Theirs', { n: 3 })], 'no_stream');
      const after = await mine.append(stream, [event('Placed', { n: 4 })], 2);
      statements.length = 0;
      const next = await mine.readAll(first.position, 10);
      expect(statements, 'the other store committed a position between: read from the log').to.have.length(1);
      expect(next.map((e) => [e.position, e.type])).to.deep.equal([
        [theirs.position, 'Theirs'],
        [after.position, 'Placed'],
      ]);
      statements.length = 0;
      expect((await mine.readAll(first.position, 10)).map((e) => e.position)).to.deep.equal([theirs.position, after.position]);
      expect(statements, 'now read once, the run is known').to.deep.equal([]);
    });
  });

  it('when its own commits and another store’s alternate in the log, then a read sends the data of the other store’s events alone', async () => {
    await withTwoStores(async ({ mine, other, mineKnex, statements }) => {
      const start = await mine.headPosition();
      const [stream, theirStream] = [uniqueName('own'), uniqueName('theirs')];
      await mine.append(stream, [event('Mine', { n: 1 }), event('Mine', { n: 2 })], 'no_stream');
      await other.append(theirStream, [event('Theirs', { n: 3 })], 'no_stream');
      await mine.append(stream, [event('Mine', { n: 4 })], 2);
      await other.append(theirStream, [event('Theirs', { n: 5 })], 1);
      await mine.append(stream, [event('Mine', { n: 6 })], 3);
      statements.length = 0;
      const read = await mine.readAll(start, 100);
      expect(read.map((e) => e.data)).to.deep.equal([1, 2, 3, 4, 5, 6].map((n) => ({ n })));
      expect(read).to.deep.equal(await other.readAll(start, 100));
      expect(statements, 'one read of the log').to.have.length(1);
      const runs = `position BETWEEN ${start + 1} AND ${start + 2} OR position = ${start + 4} OR position = ${start + 6}`;
      expect(statements[0], 'its own three runs without their data').to.include(`IF(${runs}, NULL, data)`);
      const rows = (await mineKnex.raw(statements[0]!.replace(/\?/g, () => String(start)).replace(/LIMIT \d+$/, 'LIMIT 100'))) as [
        { position: number; data: string | null }[],
      ];
      expect(rows[0].map((row) => row.data === null)).to.deep.equal([true, true, false, true, false, true]);
    });
  });

  it('when several readers of one store ask for pages that start within a read on its way, then they share it: one statement', async () => {
    await withTwoStores(async ({ mine, other, statements }) => {
      const start = await other.headPosition();
      const stream = uniqueName('theirs');
      await other.append(
        stream,
        [1, 2, 3, 4, 5, 6].map((n) => event('Theirs', { n })),
        'no_stream',
      );
      statements.length = 0;
      // as the runners of one process: the one furthest behind first, the others a little ahead
      const pages = await Promise.all([mine.readAll(start, 500), mine.readAll(start + 2, 500), mine.readAll(start + 5, 3)]);
      expect(statements, 'one read of the log').to.have.length(1);
      expect(pages.map((page) => page.map((e) => (e.data as { n: number }).n))).to.deep.equal([[1, 2, 3, 4, 5, 6], [3, 4, 5, 6], [6]]);
      expect(pages[1]![0], 'the same event objects').to.equal(pages[0]![2]);
      // a page that starts before the read on its way does not wait for it: it reads for itself
      statements.length = 0;
      await other.append(stream, [event('Theirs', { n: 7 })], 6);
      await Promise.all([mine.readAll(start + 6, 500), mine.readAll(start + 1, 500)]);
      expect(statements).to.have.length(2);
    }, 4);
  });

  it('when many small group commits race on several connections, then a live reader still sees every event once, in order', async function () {
    this.timeout(60_000);
    const stores = [
      await MysqlEventStore.open(knex, { flushers: 4, maxBatch: 2 }),
      await MysqlEventStore.open(knex, { flushers: 4, maxBatch: 2 }),
    ];
    try {
      const shape = {
        hotWriters: 8,
        appendsPerHotWriter: 6,
        streamWriters: 16,
        appendsPerStream: 6,
        gapless: true,
      };
      const report = await raceOnStreams(stores, shape);
      expectCleanRace(report, shape);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('when an earlier transaction holds positions until it commits, then a later append waits and commits after it', async () => {
    const store = await MysqlEventStore.open(knex);
    const head = await store.headPosition();
    const slow = await knex.transaction();
    try {
      // A slow append: it has taken position head + 1 and not committed yet.
      await slow.raw('UPDATE event_sequence SET last = last + 1 WHERE id = 1');
      await slow('events').insert({
        position: head + 1,
        id: uniqueName('slow'),
        stream_id: uniqueName('slow'),
        version: 1,
        type: 'Slow',
        data: '{}',
        metadata: '{}',
        schema_version: 1,
        recorded_at: Date.now(),
      });
      let done = false;
      const later = store.append(uniqueName('later'), [event()], 'no_stream').then((result) => ((done = true), result));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done, 'the later append committed while an earlier position was open').to.equal(false);
      expect(await store.readAll(head, 10)).to.deep.equal([]);
      await slow.commit();
      expect((await later).position).to.equal(head + 2);
      expect((await store.readAll(head, 10)).map((e) => e.position)).to.deep.equal([head + 1, head + 2]);
    } finally {
      if (!slow.isCompleted()) await slow.rollback();
      await store.close();
    }
  });

  it('when a read view shows a position committed while the one before it is still open, then readAll hands out neither until both are committed', async () => {
    // InnoDB can build such a view (its walk of the open transactions does not stop commits); here
    // the later row is inserted without the sequence, so the state is made on purpose.
    const store = await MysqlEventStore.open(knex);
    await store.append(uniqueName('before'), [event()], 'no_stream');
    const head = await store.headPosition();
    const row = (position: number) => ({
      position,
      id: uniqueName('torn'),
      stream_id: uniqueName('torn'),
      version: 1,
      type: 'Torn',
      data: '{}',
      metadata: '{}',
      schema_version: 1,
      recorded_at: Date.now(),
    });
    const open = await knex.transaction();
    try {
      await open.raw('UPDATE event_sequence SET last = last + 2 WHERE id = 1');
      await open('events').insert(row(head + 1));
      await knex('events').insert(row(head + 2));
      expect((await store.readAll(head - 1, 10)).map((e) => e.position)).to.deep.equal([head]);
      let done = false;
      const read = store.readAll(head, 10).then((events) => ((done = true), events));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done, 'readAll handed out a position past one that is still open').to.equal(false);
      await open.commit();
      expect((await read).map((e) => e.position)).to.deep.equal([head + 1, head + 2]);
    } finally {
      if (!open.isCompleted()) await open.rollback();
      await store.close();
    }
  });

  it('when the events table is inspected, then positions are a gapless run from 1 matching the sequence', async () => {
    const store = await MysqlEventStore.open(knex, { flushers: 4 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(uniqueName('s'), [event(), event()], 'no_stream').then(() => i)));
    const [{ count, max }] = await knex('events').select(knex.raw('count(*) as count, max(position) as max'));
    expect(Number(count)).to.equal(Number(max));
    expect(await store.headPosition()).to.equal(Number(max));
    await store.close();
  });
});
