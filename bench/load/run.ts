import 'reflect-metadata';
import { Argument, Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { ShowKind } from '../../src/infrastructure/cli/seed-output.js';
import { LoadClient } from './http-client.js';
import { checkOversell } from './oversell.js';
import { runCrowd } from './crowd/crowd-run.js';
import { CpuSampler, cores } from './proc-cpu.js';
import { WorkerView } from './worker-view.js';
import { readPath } from './read-path.js';
import { formatDetails, formatTable, type RunRow } from './report.js';
import { formatPartySale } from './party-sale-report.js';
import { partySaleScenario } from './scenarios/best-available.js';
import { flashSaleScenario } from './scenarios/flash-sale.js';
import { holdsScenario } from './scenarios/holds.js';
import { readVsWriteScenario, type Mix } from './scenarios/read-vs-write.js';
import { MemberPool, type ScenarioContext } from './scenarios/vu.js';
import { readModelLag, waitForMails, waitUntilSettled } from './settle.js';
import { LoadStats } from './stats.js';
import { prepareTarget, type TargetOptions } from './target.js';
import { formatYardstick, measureYardstick } from './yardstick.js';
import { startGaleraCluster } from '../galera-cluster.js';

const SCENARIOS = [
  'crowd',
  'holds',
  'flash-sale',
  'read-vs-write',
  'read-path',
  'sweep',
  'table',
  'best-available',
  'hand-picking',
] as const;
type Scenario = (typeof SCENARIOS)[number];

const program = new Command('npm run load --')
  .description('Drives a load scenario against onsale on loopback and prints one table')
  .addArgument(new Argument('<scenario>').choices(SCENARIOS))
  .option('--target <url>', 'use a running server instead of starting one (seed with --seed-file or MYSQL_URL…)')
  .option('--server-pid <pid>', 'with --target: the server process, for its CPU figure', Number)
  .option('--via-nginx', 'put ops/nginx in front (installed when absent)')
  .option('--workers <n>', 'server workers', Number, Number(process.env.WORKERS ?? availableParallelism()))
  .option('--connections <n>', 'virtual users (each one connection, no think time)', Number, 200)
  .option('--sweep <list>', 'for "sweep": virtual-user counts, comma-separated', '8,32,128,512')
  .option('--duration <seconds>', 'length of each run', Number, 20)
  .option(
    '--warm-up <seconds>',
    'drive the same scenario this long before the window, on connections closed before it (a server that has been up)',
    Number,
    0,
  )
  .option(
    '--members <n>',
    'members to seed (default: holds and flash sale 4 × virtual users, at least 3000; else 2 ×, at least 500)',
    Number,
  )
  .option('--capacity <n>', 'tickets of a general-admission show', Number, 200_000)
  .option('--seats <n>', 'seats of a reserved show (read-vs-write, read-path, best-available, hand-picking)', Number, 1_000)
  .option('--max-per-member <n>', 'tickets one member may buy', Number, 10_000)
  .option('--tickets-per-member <n>', 'holds: tickets a virtual user books as one member before coming back as the next', Number, 1)
  .option('--admit-per-second <n>', 'waiting room admission rate', Number, 500)
  .option('--max-active <n>', 'members admitted and shopping at once', Number, 500)
  .addOption(
    new Option('--wait <how>', 'how a waiting member learns of its admission: Server-Sent Events, a long poll (Prefer: wait) or polling')
      .choices(['sse', 'long-poll', 'poll'])
      .default('long-poll'),
  )
  .option('--poll-ms <ms>', 'how often a waiting member polls its position (--wait poll, or when a stream fails)', Number, 1000)
  .option(
    '--client <kind>',
    "virtual users' HTTP client: raw (raw sockets, raw-connections.ts: a tenth of the box less than node) or node (Node's http, before the twelfth session)",
    'raw',
  )
  .option('--no-idempotency-keys', 'send holds and confirms without an Idempotency-Key')
  .option(
    '--hold-at-admission',
    'flash sale: join with {hold} (the admitted answer carries the hold: join and confirm); a holdProblem falls back to the usual hold',
  )
  .option('--seed-file <path>', 'use this seed output instead of seeding')
  .addOption(new Option('--mysql-url <url>', 'MariaDB server').default(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'))
  .option('--redis-url <url>', 'use this Redis (default: a private redis-server on a free port)')
  .option('--keep-database', 'keep the MariaDB database of the run (dropped by default)')
  .option('--galera', 'holds: run it on the MariaDB server, then on a 3-node Galera cluster through HAProxy (ops/galera/cluster.sh)')
  .option('--json <path>', 'also write the rows as JSON')
  .option(
    '--no-yardstick',
    'skip the bare Koa route and bare INSERTs measured before the rows (every row is also given as a share of them)',
  )
  .option('--settle', 'after the run, wait (up to 120 s) until the projections and reactors caught up, and measure the CPU until then too')
  .option('--settle-mails', "with --settle: then wait (up to 300 s) until the sale's mails are sent, and say when")
  .option('--clients <n>', 'crowd: client processes (default one per 15,000 members, at least 2)', Number, 0)
  .option(
    '--source-addresses <n>',
    'crowd: bind the clients to loopback source addresses from 127.0.0.2 (default none: the kernel picks ports per server port)',
    Number,
    0,
  )
  .option('--join-seconds <s>', 'crowd: the joins are spread evenly over this long', Number, 15)
  .option('--still-seconds <s>', "crowd: the run's last s seconds with admissions paused: what a still queue costs", Number, 0)
  .option('--no-stream-upgrade', 'crowd: ask for the event stream without Upgrade: onsale-events (served by Koa, as before)')
  .option('--no-buy', 'crowd: admitted members leave without buying (no bookings, mails or projections beside the waiting)')
  .option(
    '--waiting-room-workers <n>',
    "this many waiting-room processes (WAITING_ROOM_WORKERS) take the queue: the crowd's joins and waits, or through Nginx its queue routes; the --workers (crowd: default 2) serve the buyers",
    Number,
    0,
  )
  .option(
    '--no-booking-door',
    "crowd: admitted members hold on the worker's join ports, not on its booking port (BOOKING_PORT_BASE), as before",
  );

program.parse();
const scenario = program.args[0] as Scenario;
const options = program.opts();

type PartySale = 'best-available' | 'hand-picking';

interface Run {
  name: string;
  scenario: 'holds' | 'flash-sale' | Mix | PartySale;
  /** Reserved shows: the orphan rule for hand-picked seats. */
  orphanSeats?: 'off' | 'refuse';
  kind: ShowKind;
  connections: number;
  viaNginx: boolean;
  /** On a 3-node Galera cluster started for the run (ops/galera/cluster.sh), through HAProxy. */
  galera?: boolean;
}

function runsFor(which: Scenario): Run[] {
  const c = options.connections as number;
  const nginx = Boolean(options.viaNginx);
  const how = ({ sse: 'SSE', 'long-poll': 'long poll', poll: 'polling' } as Record<string, string>)[options.wait as string];
  // the row says when the join carried the hold: a different request mix
  const waits = options.holdAtAdmission ? `${how}, hold at admission` : how;
  switch (which) {
    case 'holds':
      if (options.galera)
        return [
          { name: 'holds, queue disabled, one MariaDB', scenario: 'holds', kind: 'general', connections: c, viaNginx: nginx },
          {
            name: 'holds, queue disabled, Galera (3 nodes, HAProxy)',
            scenario: 'holds',
            kind: 'general',
            connections: c,
            viaNginx: nginx,
            galera: true,
          },
        ];
      return [{ name: 'holds, queue disabled', scenario: 'holds', kind: 'general', connections: c, viaNginx: nginx }];
    case 'flash-sale':
      return [
        { name: `flash sale, admission queue (${waits})`, scenario: 'flash-sale', kind: 'general-queue', connections: c, viaNginx: nginx },
      ];
    case 'read-vs-write':
      return (['reads', 'writes', 'mixed'] as Mix[]).map((mix) => ({
        name: `read-vs-write: ${mix}`,
        scenario: mix,
        kind: 'reserved',
        connections: c,
        viaNginx: nginx,
      }));
    case 'sweep':
      return String(options.sweep)
        .split(',')
        .map(Number)
        .map((n) => ({ name: `holds, ${n} VUs`, scenario: 'holds', kind: 'general', connections: n, viaNginx: nginx }));
    case 'best-available':
      // the same crowd, one after the other on fresh servers: best available against hand-picking
      return [
        {
          name: 'best available, orphan rule refuse',
          scenario: 'best-available',
          kind: 'reserved',
          connections: c,
          viaNginx: nginx,
          orphanSeats: 'refuse',
        },
        {
          name: 'hand-picking, orphan rule refuse',
          scenario: 'hand-picking',
          kind: 'reserved',
          connections: c,
          viaNginx: nginx,
          orphanSeats: 'refuse',
        },
        {
          name: 'hand-picking, orphan rule off',
          scenario: 'hand-picking',
          kind: 'reserved',
          connections: c,
          viaNginx: nginx,
          orphanSeats: 'off',
        },
      ];
    case 'hand-picking':
      return [
        {
          name: 'hand-picking, orphan rule refuse',
          scenario: 'hand-picking',
          kind: 'reserved',
          connections: c,
          viaNginx: nginx,
          orphanSeats: 'refuse',
        },
      ];
    case 'table':
      return [
        { name: '(1) holds, queue disabled', scenario: 'holds', kind: 'general', connections: c, viaNginx: false },
        { name: '(2) the same through Nginx', scenario: 'holds', kind: 'general', connections: c, viaNginx: true },
        { name: `(3) Nginx + admission queue (${waits})`, scenario: 'flash-sale', kind: 'general-queue', connections: c, viaNginx: true },
      ];
    default:
      return [];
  }
}

function targetOptions(run: Run): TargetOptions {
  return {
    target: options.target,
    serverPid: options.serverPid,
    viaNginx: run.viaNginx,
    workers: options.workers,
    waitingRoom: options.waitingRoomWorkers,
    seedFile: options.seedFile,
    // A member may join a queue 10 times a minute: the flash sale needs enough of them to rotate, and
    // the holds run gets as many, so that the two book for the same crowd.
    members:
      options.members ??
      (run.scenario === 'flash-sale' || run.scenario === 'holds'
        ? Math.max(3000, run.connections * 4)
        : Math.max(500, run.connections * 2)),
    shows: [run.kind],
    capacity: run.kind.startsWith('reserved') ? options.seats : options.capacity,
    maxPerMember: options.maxPerMember,
    admitPerSecond: options.admitPerSecond,
    maxActive: options.maxActive,
    orphanSeats: run.orphanSeats,
    mysqlUrl: options.mysqlUrl,
    redisUrl: options.redisUrl,
    keepDatabase: options.keepDatabase,
  };
}

/** One run: a fresh server and database (unless --target), seed, drive, check, stop. */
async function drive(run: Run): Promise<RunRow> {
  if (!run.galera) return driveOn(run, targetOptions(run));
  const cluster = await startGaleraCluster();
  try {
    return await driveOn(run, { ...targetOptions(run), mysqlUrl: cluster.writerUrl });
  } finally {
    await cluster.remove();
  }
}

async function driveOn(run: Run, targetOptions_: TargetOptions): Promise<RunRow> {
  const target = await prepareTarget(targetOptions_);
  try {
    const show = target.seed.shows.find((candidate) => candidate.kind === run.kind) ?? target.seed.shows[0]!;
    const members = new MemberPool(target.seed.members);
    const contextFor = (stats: LoadStats, client: LoadClient, seconds: number): ScenarioContext => ({
      client,
      stats,
      seed: target.seed,
      show,
      members,
      deadline: performance.now() + seconds * 1000,
      connections: run.connections,
      pollMs: options.pollMs,
      wait: options.wait,
      idempotencyKeys: options.idempotencyKeys,
      holdAtAdmission: Boolean(options.holdAtAdmission),
      serverUrl: target.serverUrl,
    });
    let warmedUp = 0;
    if (options.warmUp > 0) {
      // the same crowd before the window, on connections closed before it: a server that has been up, not one just started
      console.error(`[load] ${run.name}: warming up for ${options.warmUp} s (not measured; the window opens new connections)`);
      const warmStats = new LoadStats();
      const warmClient = new LoadClient(target.url, warmStats, run.connections, { raw: options.client === 'raw' });
      await drivePhase(run, contextFor(warmStats, warmClient, options.warmUp));
      warmClient.close();
      warmedUp = warmStats.ticketsBooked;
      console.error(`[load]   warm-up: ${warmStats.bookings} bookings`);
    }
    const stats = new LoadStats();
    const client = new LoadClient(target.url, stats, run.connections, { raw: options.client === 'raw' });
    const context = contextFor(stats, client, options.duration);
    console.error(`[load] ${run.name}: ${run.connections} virtual users for ${options.duration} s against ${target.url}`);
    const cpu = new CpuSampler(target.cpuGroups);
    const workerView = new WorkerView(target.workerPorts, options.workers);
    await workerView.start();
    cpu.start();
    signalWindow(target.cpuGroups.server!());
    const from = monotonicMicros();
    stats.startedAt = Date.now();
    const progress = reportProgress(stats);
    // how stale the read models are as the window's time is up (the requests then on their way
    // still finish after it): work that the window's figures leave out
    const readModelsAtDeadline = target.databaseUrl.startsWith('mysql')
      ? new Promise((resolve) => setTimeout(resolve, options.duration * 1000)).then(() =>
          readModelLag(target.databaseUrl).catch(() => undefined),
        )
      : Promise.resolve(undefined);
    const sale = await drivePhase(run, context);
    stats.endedAt ||= Date.now();
    clearInterval(progress);
    const threads = cpu.threadShares();
    const usage = cpu.stop();
    signalWindow(target.cpuGroups.server!());
    const readModels = await readModelsAtDeadline;
    const workers = await workerView.stop();
    const window: [number, number] = [from, monotonicMicros()];
    client.close();
    let settled: RunRow['settled'];
    if (options.settle && target.databaseUrl.startsWith('mysql')) {
      const done = await waitUntilSettled(target.databaseUrl, 120_000);
      settled = { ...done, cpuSeconds: cpu.cpuSeconds() };
      console.error(`[load] settled: ${done.settled ? '' : 'NOT '}caught up ${done.seconds.toFixed(1)} s after the window`);
      if (options.settleMails) {
        const mails = await waitForMails(target.databaseUrl, 300_000);
        console.error(
          `[load] mails: ${mails.sent} more sent, ${mails.drained ? 'the last' : 'NOT all'} ${(done.seconds + mails.seconds).toFixed(1)} s after the window`,
        );
      }
    }
    const oversell = await checkOversell(target.serverUrl, show, stats, target.seed.members, warmedUp);
    const latencyLabels = run.scenario === 'reads' ? ['read'] : undefined;
    const loadAverage = loadavg()[0]!.toFixed(1);
    return {
      name: run.name,
      target: target.label,
      connections: run.connections,
      stats,
      cpu: usage,
      threads,
      workers,
      oversell,
      latencyLabels,
      loadAverage,
      sale,
      window,
      readModels,
      settled,
    };
  } finally {
    await target.stop();
  }
}

/**
 * With `ALLOCATION_PROFILE_DIR` (`npm run bench:booking-garbage`): SIGUSR2 to every server process at
 * the window's start and end, which the preloaded allocation sampler takes as start and stop.
 */
function signalWindow(pids: number[]): void {
  if (!process.env.ALLOCATION_PROFILE_DIR) return;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGUSR2');
    } catch {
      // gone meanwhile
    }
  }
}

/** The run's scenario until the context's deadline (a party sale says what it sold). */
async function drivePhase(run: Run, context: ScenarioContext): Promise<RunRow['sale']> {
  if (run.scenario === 'holds') await holdsScenario(context, options.ticketsPerMember);
  else if (run.scenario === 'flash-sale') await flashSaleScenario(context);
  else if (run.scenario === 'best-available' || run.scenario === 'hand-picking') return partySaleScenario(context, run.scenario);
  else await readVsWriteScenario(context, run.scenario);
  return undefined;
}

/** Every 10 s on stderr: bookings and requests a second in the last 10 s, to see a run settle or sag. */
function reportProgress(stats: LoadStats): NodeJS.Timeout {
  let last = { bookings: 0, requests: 0, at: Date.now() };
  return setInterval(() => {
    const now = { bookings: stats.bookings, requests: stats.requests, at: Date.now() };
    const seconds = (now.at - last.at) / 1000;
    const rate = (n: number) => (n / seconds).toFixed(0);
    const elapsed = ((now.at - stats.startedAt) / 1000).toFixed(0);
    console.error(
      `[load]   ${elapsed} s: ${rate(now.bookings - last.bookings)} bookings/s, ${rate(now.requests - last.requests)} requests/s`,
    );
    last = now;
  }, 10_000);
}

async function main(): Promise<void> {
  if (scenario === 'crowd') return crowd();
  if (scenario === 'read-path') {
    console.log(
      await readPath(
        targetOptions({ name: 'read path', scenario: 'reads', kind: 'reserved', connections: options.connections, viaNginx: false }),
        options.duration,
        options.connections,
      ),
    );
    return;
  }
  const runs = runsFor(scenario);
  // the least this machine does, in the same minute: every row is read as a share of it
  const yardstick =
    options.yardstick && !options.target && runs.length > 0 ? await measureYardstick(options.workers, options.mysqlUrl) : undefined;
  const rows: RunRow[] = [];
  for (const run of runs) rows.push(await drive(run));
  console.log(formatTable(rows));
  console.log();
  console.log(formatDetails(rows));
  if (yardstick) {
    console.log();
    console.log(formatYardstick(yardstick, rows.filter((row) => row.stats.bookings > 0).map(bookingFigures)));
  }
  if (scenario === 'read-vs-write') console.log(formatRatio(rows));
  if (rows.some((row) => row.sale)) console.log(formatPartySale(rows));
  if (options.json) writeFileSync(options.json, JSON.stringify(rows.map(toJson), null, 2));
  const oversold = rows.reduce((sum, row) => sum + (row.oversell?.oversold ?? 0), 0);
  if (oversold > 0) {
    console.error(`[load] OVERSOLD: ${oversold}`);
    process.exitCode = 1;
  }
}

/** The waiting room under a crowd: its own table (bench/load/crowd). */
async function crowd(): Promise<void> {
  const given = (name: string) => program.getOptionValueSource(name) !== 'default';
  await runCrowd({
    members: options.members ?? 10_000,
    wait: given('wait') ? (options.wait === 'long-poll' ? 'long-poll' : 'sse') : 'sse',
    streamUpgrade: options.streamUpgrade !== false,
    buy: options.buy !== false,
    bookingDoor: options.bookingDoor !== false,
    workers: given('workers') ? options.workers : 0,
    waitingRoomWorkers: options.waitingRoomWorkers,
    clients: options.clients,
    sourceAddresses: options.sourceAddresses,
    joinSeconds: options.joinSeconds,
    waitSeconds: options.duration,
    stillSeconds: options.stillSeconds,
    admitPerSecond: given('admitPerSecond') ? options.admitPerSecond : 100,
    maxActive: given('maxActive') ? options.maxActive : 200,
    mysqlUrl: options.mysqlUrl,
    redisUrl: options.redisUrl,
    seedFile: options.seedFile,
  });
}

function bookingFigures(row: RunRow) {
  const { stats } = row;
  const serverCpuSeconds = ((row.cpu.server ?? 0) / 100) * cores * stats.seconds;
  return {
    name: row.name,
    bookingsPerSecond: stats.bookings / stats.seconds,
    serverCpuMicrosPerBooking: (serverCpuSeconds * 1e6) / stats.bookings,
  };
}

/** Reads served per second against writes (hold + confirm requests) per second, at the same load. */
function formatRatio(rows: RunRow[]): string {
  const rate = (name: string, labels: string[]) => {
    const row = rows.find((candidate) => candidate.name.endsWith(name));
    if (!row) return 0;
    return labels.reduce((sum, label) => sum + row.stats.count(label), 0) / row.stats.seconds;
  };
  const reads = rate(': reads', ['read']);
  const writes = rate(': writes', ['hold', 'confirm']);
  const ratio = writes > 0 ? (reads / writes).toFixed(1) : '–';
  return `\nread-to-write ratio at ${rows[0]?.connections} virtual users: ${reads.toFixed(0)} reads/s against ${writes.toFixed(0)} write requests/s = ${ratio} : 1`;
}

function toJson(row: RunRow) {
  const { stats } = row;
  return {
    name: row.name,
    target: row.target,
    connections: row.connections,
    seconds: stats.seconds,
    requestsPerSecond: stats.requests / stats.seconds,
    p50: stats.percentile(50, row.latencyLabels),
    p95: stats.percentile(95, row.latencyLabels),
    p99: stats.percentile(99, row.latencyLabels),
    bookingsPerSecond: stats.bookings / stats.seconds,
    requests: Object.fromEntries([...stats.latencies.keys()].map((label) => [label, stats.count(label)])),
    waits: [...stats.waits],
    outcomes: Object.fromEntries(stats.outcomes),
    statuses: Object.fromEntries(stats.statuses),
    codes: Object.fromEntries(stats.codes),
    admissionsHeard: stats.admissionsHeard,
    admittedRefused: stats.admittedRefused,
    cpu: row.cpu,
    threads: row.threads,
    loadAverage: row.loadAverage,
    oversell: row.oversell,
    monotonicWindowMicros: row.window,
    settled: row.settled,
  };
}

/** CLOCK_MONOTONIC in µs: the clock of V8's CPU profiles, the same in every process of the machine. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
