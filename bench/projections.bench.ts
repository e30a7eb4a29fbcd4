import 'reflect-metadata';
import { FailureStore } from '../src/infrastructure/projections/engine/failures.js';
import { LeaseStore } from '../src/infrastructure/projections/engine/lease.js';
import { ProjectionEngine } from '../src/infrastructure/projections/engine/engine.js';
import { rebuildProjection } from '../src/infrastructure/projections/engine/rebuild.js';
import { ProjectionRegistry } from '../src/infrastructure/projections/engine/registry.js';
import { CheckpointWaiter } from '../src/infrastructure/projections/engine/waiter.js';
import { createLogger } from '../src/infrastructure/logging/logger.js';
import { benchTallyProjection } from './bench-tally.projection.js';
import { bulkLoadEvents } from './bulk-load-events.js';
import { openMysqlBench, openSqliteBench, type BenchDb } from './projection-bench-db.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 2_000);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const only = process.env.BENCH_ONLY?.split(',');

interface Row {
  database: string;
  name: string;
  events: number;
  seconds: number;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

async function benchOne(db: BenchDb): Promise<Row[]> {
  const rows: Row[] = [];
  const seconds = await timed(() => bulkLoadEvents(db.knex, { events: EVENTS, streams: STREAMS }));
  rows.push({ database: db.database, name: 'bulk load (multi-row inserts, not the append path)', events: EVENTS, seconds });
  const deps = {
    knex: db.knex,
    eventStore: db.eventStore,
    leases: new LeaseStore(db.knex),
    failures: new FailureStore(db.knex),
    owner: 'bench',
  };

  const beside = await rebuildProjection(deps, benchTallyProjection, { batchSize: 5000 });
  rows.push({
    database: db.database,
    name: 'rebuild into fresh tables + swap (batch 5000)',
    events: beside.events,
    seconds: beside.seconds,
  });
  const inPlace = await rebuildProjection(deps, benchTallyProjection, { batchSize: 5000, inPlace: true });
  rows.push({ database: db.database, name: 'rebuild in place (batch 5000)', events: inPlace.events, seconds: inPlace.seconds });

  await db.knex.schema.dropTable('bench_tally_checkpoint'); // the live runner recreates the tables and starts from 0
  const waiter = new CheckpointWaiter(db.knex);
  const engine = new ProjectionEngine({
    knex: db.knex,
    eventStore: db.eventStore,
    logger: createLogger('warn'),
    registry: new ProjectionRegistry(() => [benchTallyProjection]),
    waiter,
  });
  const head = await db.eventStore.headPosition();
  const catchUp = await timed(async () => {
    await engine.start();
    if (!(await waiter.waitFor('bench-tally', head, 600_000))) throw new Error('the live runner did not catch up');
  });
  await engine.stop();
  rows.push({ database: db.database, name: 'live runner catch-up from 0 (batch 500)', events: head, seconds: catchUp });

  const [{ n, total }] = await db.knex('bench_tally_totals').select(db.knex.raw('sum(events) as n, sum(amount) as total'));
  if (Number(n) !== EVENTS) throw new Error(`bench-tally counted ${n} events, expected ${EVENTS}`);
  void total;
  return rows;
}

function print(rows: Row[]): void {
  const header = ['database', 'measure', 'events', 'seconds', 'events/s'];
  const cells = rows.map((r) => [
    r.database,
    r.name,
    String(r.events),
    r.seconds.toFixed(2),
    Math.round(r.events / r.seconds).toLocaleString('en-US'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  console.error(
    `projection replay: ${EVENTS} events over ${STREAMS} streams, projection bench-tally (a row per event + a total per stream)`,
  );
  const rows: Row[] = [];
  for (const [name, open] of [
    ['sqlite', () => openSqliteBench()],
    ['mysql', () => openMysqlBench(MYSQL_URL)],
  ] as const) {
    if (only && !only.includes(name)) continue;
    const db = await open();
    try {
      rows.push(...(await benchOne(db)));
    } finally {
      await db.close(true);
    }
  }
  print(rows);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(String(error?.stack ?? error).slice(0, 2000));
    process.exit(1);
  },
);
