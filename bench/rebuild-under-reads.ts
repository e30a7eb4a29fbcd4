import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { FailureStore } from '../src/infrastructure/projections/engine/failures.js';
import { LeaseStore } from '../src/infrastructure/projections/engine/lease.js';
import { readCheckpoint } from '../src/infrastructure/projections/engine/checkpoint-store.js';
import { rebuildProjection } from '../src/infrastructure/projections/engine/rebuild.js';
import { liveTables } from '../src/projections/table-names.js';
import { benchTallyProjection } from './bench-tally.projection.js';
import { bulkLoadEvents } from './bulk-load-events.js';
import { openMysqlBench, openSqliteBench, type BenchDb } from './projection-bench-db.js';

/**
 * The done-criterion run: a database holding BENCH_EVENTS (1,000,000) events, the bench-tally
 * read model rebuilt by the CLI in another process (`projections rebuild bench-tally`) while this
 * process keeps reading it. Reports the rebuild's own line and how the reads fared.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const DATABASE = process.env.BENCH_DB ?? 'mysql';
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

async function open(): Promise<BenchDb> {
  if (DATABASE === 'sqlite') {
    const dir = path.resolve('.tmp/bench-1m');
    mkdirSync(dir, { recursive: true });
    return openSqliteBench(dir);
  }
  return openMysqlBench(MYSQL_URL, 'onsale_bench_1m');
}

async function prepare(db: BenchDb): Promise<number> {
  let head = await db.eventStore.headPosition();
  if (head < EVENTS) {
    const started = performance.now();
    head = await bulkLoadEvents(db.knex, { events: EVENTS - head, streams: STREAMS });
    console.error(`loaded events up to ${head} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if ((await readCheckpoint(db.knex, liveTables(benchTallyProjection.name))) !== head) {
    const deps = {
      knex: db.knex,
      eventStore: db.eventStore,
      leases: new LeaseStore(db.knex),
      failures: new FailureStore(db.knex),
      owner: 'bench',
    };
    const built = await rebuildProjection(deps, benchTallyProjection, {});
    console.error(`first build of bench-tally: ${built.events} events at ${Math.round(built.eventsPerSecond)} events/s`);
  }
  return head;
}

interface ReadStats {
  reads: number;
  errors: number;
  wrong: number;
  latencies: number[];
}

/** Reads a random total and now and then the grand total, checking it never changes. */
async function readLoop(db: BenchDb, expected: number, running: () => boolean): Promise<ReadStats> {
  const stats: ReadStats = { reads: 0, errors: 0, wrong: 0, latencies: [] };
  while (running()) {
    const started = performance.now();
    try {
      if (stats.reads % 20 === 0) {
        const [{ n }] = await db.knex('bench_tally_totals').sum({ n: 'events' });
        if (Number(n) !== expected) stats.wrong++;
      } else {
        await db
          .knex('bench_tally_totals')
          .where({ stream_id: `bench-${stats.reads % STREAMS}` })
          .first();
      }
      stats.reads++;
    } catch {
      stats.errors++;
    }
    stats.latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return stats;
}

function runCli(db: BenchDb, args: string[]): Promise<string> {
  const env = { ...process.env, LOG_LEVEL: 'warn', ...(db.url ? { MYSQL_URL: db.url } : { DATA_DIR: db.dataDir, MYSQL_URL: '' }) };
  const child = spawn('npx', ['tsx', 'bench/bench-cli.ts', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`CLI exited with ${code}: ${out}`)))),
  );
}

async function main(): Promise<void> {
  const db = await open();
  try {
    const head = await prepare(db);
    let rebuilding = true;
    const reads = readLoop(db, head, () => rebuilding);
    const started = performance.now();
    const line = await runCli(db, ['projections', 'rebuild', 'bench-tally']).finally(() => (rebuilding = false));
    const wall = (performance.now() - started) / 1000;
    const stats = await reads;
    const sorted = stats.latencies.sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1);
    console.log(`database: ${db.database}, events: ${head}`);
    console.log(`cli: ${line}`);
    console.log(`cli process wall time (incl. start-up): ${wall.toFixed(1)} s`);
    console.log(
      `reads during the rebuild: ${stats.reads} answered, ${stats.errors} failed, ${stats.wrong} saw a wrong total; latency ms p50 ${p(0.5)} p99 ${p(0.99)} max ${sorted.at(-1)?.toFixed(1)}`,
    );
    console.log(await runCli(db, ['projections', 'status']));
  } finally {
    await db.close(false);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(String(error?.stack ?? error).slice(0, 2000));
    process.exit(1);
  },
);
