import { expect } from 'chai';
import type { Knex } from 'knex';
import { openMysql } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { MysqlEventStore } from '../../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { galeraCluster, type GaleraCluster } from '../../support/galera.js';
import { event, eventStoreContract } from '../event-store/event-store.contract.js';
import { expectCleanRace, raceOnStreams } from '../event-store/race.js';
import { uniqueName } from '../../support/services.js';

let cluster: GaleraCluster | undefined;
let database: Awaited<ReturnType<GaleraCluster['createDatabase']>> | undefined;
const connections: Knex[] = [];

/** Each store has its own knex and writer pool, all through HAProxy's one writer, like separate processes. */
async function connect(): Promise<Knex> {
  const knex = openMysql(database!.url, 4);
  connections.push(knex);
  if (connections.length === 1) await migrateToLatest(knex);
  return knex;
}

eventStoreContract('MariaDB Galera, 3 nodes through the HAProxy writer', async (context) => {
  cluster = await galeraCluster(context);
  database = await cluster.createDatabase('onsale_es');
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

describe('MySQL event store on Galera', () => {
  let galera: GaleraCluster;
  let db: Awaited<ReturnType<GaleraCluster['createDatabase']>>;
  let knex: Knex;

  before(async function () {
    galera = await galeraCluster(this);
    db = await galera.createDatabase('onsale_es');
    knex = openMysql(db.url, 4);
    await migrateToLatest(knex);
  });

  after(async () => {
    await knex?.destroy();
    await db?.drop();
  });

  it('when group commits race through the writer, then every node holds every event once, gapless and in order', async function () {
    this.timeout(90_000);
    const stores = [await MysqlEventStore.open(knex, { flushers: 4, maxBatch: 2 }), await MysqlEventStore.open(knex, { flushers: 4 })];
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
    const head = await knex('event_sequence').first('last');
    for (const node of [1, 2, 3]) {
      // wsrep_sync_wait: the read waits until the node has applied everything committed before it.
      const rows = await galera.sql<{ count: number; max: number }[]>(
        node,
        `SET STATEMENT wsrep_sync_wait = 1 FOR SELECT COUNT(*) AS count, MAX(position) AS max FROM \`${db.name}\`.events`,
      );
      expect(
        rows.map((row) => ({ ...row })),
        `node ${node}`,
      ).to.deep.equal([{ count: Number(head.last), max: Number(head.last) }]);
    }
  });

  it('when two stores write through two different nodes at once, then certification conflicts cost retries or refusals, never a gap or a duplicate', async function () {
    this.timeout(90_000);
    const direct = [openMysql(`${galera.nodeUrl(1)}/${db.name}`, 4), openMysql(`${galera.nodeUrl(2)}/${db.name}`, 4)];
    const stores = await Promise.all(direct.map((each) => MysqlEventStore.open(each, { flushers: 2 })));
    const outcomes = { ok: 0, refused: [] as string[] };
    const conflictsBefore = await conflicts(galera);
    try {
      // Rounds of appends on both nodes at once: each one moves the sequence row, so they conflict.
      for (let round = 0; round < 10; round++) {
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            stores[i % 2].append(uniqueName('two-writers'), [event(), event()], 'no_stream').then(
              () => outcomes.ok++,
              (error: Error & { code?: string }) => outcomes.refused.push(error.code ?? error.message),
            ),
          ),
        );
      }
    } finally {
      for (const store of stores) await store.close();
      for (const each of direct) await each.destroy();
    }
    const conflicted = (await conflicts(galera)) - conflictsBefore;
    expect(conflicted, 'certification conflicts between the two nodes').to.be.greaterThan(0);
    expect(outcomes.ok + outcomes.refused.length).to.equal(120);
    expect(outcomes.ok, 'some appends commit').to.be.greaterThan(0);
    expect(new Set(outcomes.refused), 'only conflicts past the retries are refused').to.satisfy((codes: Set<string>) =>
      [...codes].every((code) => code === 'ER_LOCK_DEADLOCK'),
    );
    const positions = (await knex('events').orderBy('position').pluck('position')).map(Number);
    expect(positions).to.deep.equal(Array.from({ length: positions.length }, (_, i) => i + 1));
    expect(Number((await knex('event_sequence').first('last')).last)).to.equal(positions.length);
  });
});

/** Transactions aborted by Galera on nodes 1 and 2: failed certification, or aborted by a replicated one. */
async function conflicts(galera: GaleraCluster): Promise<number> {
  let total = 0;
  for (const node of [1, 2]) {
    const rows = await galera.sql<{ Value: string }[]>(
      node,
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_cert_failures', 'wsrep_local_bf_aborts')",
    );
    total += rows.reduce((sum, row) => sum + Number(row.Value), 0);
  }
  return total;
}
