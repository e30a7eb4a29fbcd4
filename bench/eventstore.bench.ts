import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { format } from 'mysql2';
import { createPool } from 'mysql2/promise';
import type { EventStore } from '../src/application/ports/event-store.js';
import { WrongExpectedVersion } from '../src/application/ports/event-store.errors.js';
import { uuidGenerator } from '../src/infrastructure/system-clock.js';
import { StreamProcessor } from '../src/application/stream-processor.js';
import type { Decider } from '../src/domain/shared/decider.js';
import { ensureMysqlDatabase, mysqlOptionsOf, openMysql, openSqlite } from '../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../src/infrastructure/database/migrate.js';
import { MysqlEventStore, type MysqlEventStoreOptions } from '../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store.js';
import { startGaleraCluster } from './galera-cluster.js';

const WRITERS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const only = process.env.BENCH_ONLY?.split(',');

interface Row {
  database: string;
  name: string;
  ops: number;
  events: number;
  seconds: number;
  note?: string;
}

/** Runs `writers` loops of `step` for SECONDS; each step returns the events it wrote (0: a failed attempt). */
async function measure(step: (writer: number) => Promise<number>, writers = WRITERS) {
  const until = Date.now() + SECONDS * 1000;
  let ops = 0;
  let events = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (Date.now() < until) {
        const written = await step(w);
        events += written;
        if (written > 0) ops++;
      }
    }),
  );
  return { ops, events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const counter: Decider<number, { add: number }, { type: 'Added'; data: { add: number } }> = {
  initialState: () => 0,
  evolve: (state, event) => state + event.data.add,
  decide: (command) => [{ type: 'Added', data: { add: command.add } }],
};

const one = () => [{ id: randomUUID(), type: 'Benched', data: { n: 1, note: 'a small event of about a hundred bytes' } }];
const ten = () => Array.from({ length: 10 }, one).flat();

async function storeRows(database: string, open: () => Promise<EventStore>, baseline: (w: number) => Promise<number>): Promise<Row[]> {
  const rows: Row[] = [];
  let lastOps = () => 0;
  const run = async (name: string, step: (store: EventStore) => (w: number) => Promise<number>, note?: (s: EventStore) => string) => {
    if (only && !only.some((o) => name.includes(o))) return;
    const store = await open();
    try {
      const result = await measure(step(store));
      lastOps = () => result.ops;
      rows.push({ database, name, ...result, note: note?.(store) });
    } finally {
      await store.close();
    }
  };
  rows.push({ database, name: '(a) baseline: autocommit single-row inserts, no global order', ...(await measure(baseline)) });
  await run('(b) appends, 1 event each, distinct streams', (store) => {
    const streams = Array.from({ length: WRITERS }, () => `bench-${randomBytes(6).toString('hex')}`);
    const versions = new Array<number>(WRITERS).fill(0);
    return async (w) => {
      versions[w] = (await store.append(streams[w], one(), versions[w])).versions[streams[w]];
      return 1;
    };
  });
  let conflicts = 0;
  await run(
    '(c) one hot stream, naive optimistic retries',
    (store) => {
      const hot = `hot-${randomBytes(6).toString('hex')}`;
      const known = new Array<number>(WRITERS).fill(0);
      return async (w) => {
        try {
          known[w] = (await store.append(hot, one(), known[w])).versions[hot];
          return 1;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersion)) throw error;
          known[w] = error.actual;
          conflicts++;
          return 0;
        }
      };
    },
    () => `${conflicts} conflicts (${Math.round((100 * conflicts) / (conflicts + lastOps()))}% of attempts)`,
  );
  await run('(c) one hot stream, StreamProcessor', (store) => {
    const hot = `hot-${randomBytes(6).toString('hex')}`;
    const processor = new StreamProcessor(store, uuidGenerator);
    return async () => (await processor.execute(hot, counter, { add: 1 })).events.length;
  });
  await run('(d) batched appends, 10 events each, distinct streams', (store) => {
    const streams = Array.from({ length: WRITERS }, () => `bench-${randomBytes(6).toString('hex')}`);
    const versions = new Array<number>(WRITERS).fill(0);
    return async (w) => {
      versions[w] = (await store.append(streams[w], ten(), versions[w])).versions[streams[w]];
      return 10;
    };
  });
  return rows;
}

async function mysqlRows(serverUrl = MYSQL_URL, database = 'MariaDB'): Promise<Row[]> {
  const name = `onsale_bench_${Date.now().toString(36)}`;
  const url = `${serverUrl.replace(/\/$/, '')}/${name}`;
  await ensureMysqlDatabase(url);
  const knex = openMysql(url, WRITERS);
  try {
    await migrateToLatest(knex);
    await knex.raw('CREATE TABLE bench_plain (id BIGINT AUTO_INCREMENT PRIMARY KEY, event_id VARCHAR(100), data TEXT)');
    const baseline = async () => (await knex.raw('INSERT INTO bench_plain (event_id, data) VALUES (?, ?)', [randomUUID(), '{"n":1}']), 1);
    const open = (options: MysqlEventStoreOptions = {}) => MysqlEventStore.open(knex, options);
    const rows = await storeRows(database, () => open(), baseline);
    rows.splice(1, 0, { database, name: '(a2) baseline + one-row sequence lock held to commit', ...(await sequenced(knex)) });
    if (!only || only.some((o) => 'no group commit'.includes(o))) {
      const store = await open({ flushers: WRITERS, maxBatch: 1 });
      const streams = Array.from({ length: WRITERS }, () => `solo-${randomBytes(6).toString('hex')}`);
      const result = await measure(async (w) => (await store.append(streams[w], one(), 'any'), 1));
      rows.splice(3, 0, { database, name: '(b) same, no group commit (one append per transaction)', ...result });
      await store.close();
    }
    return rows;
  } finally {
    await knex.raw(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
    await knex.destroy();
  }
}

/** What the serial section costs: each insert is its own transaction holding the sequence row lock. */
async function sequenced(knex: Knex) {
  await knex.raw('CREATE TABLE bench_sequence (id INT PRIMARY KEY, last BIGINT NOT NULL)');
  await knex.raw('INSERT INTO bench_sequence VALUES (1, 0)');
  await knex.raw('CREATE TABLE bench_ordered (position BIGINT PRIMARY KEY, event_id VARCHAR(100), data TEXT)');
  const pool = createPool({ ...mysqlOptionsOf(knex), multipleStatements: true, connectionLimit: WRITERS });
  try {
    const sql = (id: string) =>
      format(
        'START TRANSACTION; UPDATE bench_sequence SET last = LAST_INSERT_ID(last + 1) WHERE id = 1; INSERT INTO bench_ordered VALUES (LAST_INSERT_ID(), ?, ?); COMMIT',
        [id, '{"n":1}'],
      );
    return await measure(async () => (await pool.query(sql(randomUUID())), 1));
  } finally {
    await pool.end();
  }
}

async function sqliteRows(): Promise<Row[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'onsale-bench-'));
  const knex: Knex = openSqlite(path.join(dir, 'bench.sqlite'));
  try {
    await migrateToLatest(knex);
    await knex.raw('CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, event_id TEXT, data TEXT)');
    const baseline = async () => (await knex.raw('INSERT INTO bench_plain (event_id, data) VALUES (?, ?)', [randomUUID(), '{"n":1}']), 1);
    return await storeRows('SQLite', async () => new SqliteEventStore(knex), baseline);
  } finally {
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(rows: Row[]): void {
  const baselines = new Map(rows.filter((r) => r.name.startsWith('(a)')).map((r) => [r.database, r.ops / r.seconds]));
  const lines = rows.map((r) => {
    const perSecond = r.ops / r.seconds;
    const ratio = perSecond / baselines.get(r.database)!;
    return `| ${r.database} | ${r.name} | ${fmt(perSecond)} | ${fmt(r.events / r.seconds)} | ${ratio.toFixed(2)} | ${r.note ?? ''} |`;
  });
  console.log(
    `| store | workload (${WRITERS} concurrent writers, ${SECONDS} s each) | appends (or commands)/s | events/s | vs baseline | note |`,
  );
  console.log('| --- | --- | ---: | ---: | ---: | --- |');
  console.log(lines.join('\n'));
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `--galera`: the same MariaDB rows on a 3-node Galera cluster (ops/galera/cluster.sh) through HAProxy, right after. */
async function galeraRows(): Promise<Row[]> {
  const cluster = await startGaleraCluster();
  try {
    return await mysqlRows(cluster.writerUrl, 'Galera, 3 nodes via HAProxy');
  } finally {
    await cluster.remove();
  }
}

const galera = process.argv.includes('--galera');
const targets = (process.env.BENCH_STORES ?? (galera ? 'mysql' : 'mysql,sqlite')).split(',');
const rows = [
  ...(targets.includes('mysql') ? await mysqlRows() : []),
  ...(galera ? await galeraRows() : []),
  ...(targets.includes('sqlite') ? await sqliteRows() : []),
];
print(rows);
