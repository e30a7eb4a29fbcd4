import 'reflect-metadata';
import { Command } from 'commander';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { bookingToDashboardMs, openDashboards } from './dashboard/dashboard-viewers.js';
import { LoadClient } from './load/http-client.js';
import { cpuSecondsOf } from './load/proc-cpu.js';
import { flashSaleScenario } from './load/scenarios/flash-sale.js';
import { MemberPool, type ScenarioContext } from './load/scenarios/vu.js';
import { LoadStats } from './load/stats.js';
import { prepareTarget } from './load/target.js';

// The dashboard's own cost: the load table's queued row (Nginx + admission queue, bench/load/run.ts
// "table" row 3) run with N live dashboards open and with none, alternated, on a fresh server each.
const program = new Command('npm run bench:dashboard --')
  .description('Server CPU per booking during the queued row with N live dashboards open against none, and the dashboards’ latency')
  .option('--dashboards <n>', 'live dashboards open (SSE streams) in the runs with dashboards', Number, 10)
  .option('--rounds <n>', 'pairs of runs (none, then N), alternated', Number, 2)
  .option('--duration <seconds>', 'length of each run', Number, 20)
  .option('--connections <n>', 'virtual users', Number, 200)
  .option('--workers <n>', 'server workers', Number, Number(process.env.WORKERS ?? availableParallelism()))
  .option('--admit-per-second <n>', 'waiting room admission rate', Number, 500)
  .option('--max-active <n>', 'members admitted and shopping at once', Number, 500)
  .option('--no-nginx', 'straight to the server (the load table’s row goes through Nginx)')
  .option('--mysql-url <url>', 'MariaDB server', process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306')
  .option('--redis-url <url>', 'use this Redis (default: a private redis-server on a free port)');
program.parse();
const options = program.opts();

const ADMIN = { email: 'dashboard-bench@onsale.test', password: 'dashboard bench password' };

interface Row {
  dashboards: number;
  seconds: number;
  bookings: number;
  serverCpuSeconds: number;
  samples: number;
  latencies: number[];
  machineLoad: string;
}

async function runOnce(dashboards: number): Promise<Row> {
  const connections = options.connections as number;
  const target = await prepareTarget({
    viaNginx: options.nginx as boolean,
    workers: options.workers,
    members: Math.max(3000, connections * 4),
    shows: ['general-queue'],
    capacity: 200_000,
    maxPerMember: 10_000,
    admitPerSecond: options.admitPerSecond,
    maxActive: options.maxActive,
    mysqlUrl: options.mysqlUrl,
    redisUrl: options.redisUrl,
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
  });
  try {
    const show = target.seed.shows[0]!;
    const login = await fetch(`${target.serverUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const stats = new LoadStats();
    // each ticket's confirmation, in order, for the latency to the dashboards
    const confirmedAt: number[] = [];
    const booked = stats.booked.bind(stats);
    stats.booked = (seats, quantity) => {
      const before = stats.ticketsBooked;
      booked(seats, quantity);
      for (let i = before; i < stats.ticketsBooked; i++) confirmedAt.push(performance.now());
    };
    const viewers = dashboards > 0 ? openDashboards(target.url, show.id, accessToken, dashboards) : undefined;
    // the streams' first samples and the requests behind them come before the measured part
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const client = new LoadClient(target.url, stats, connections);
    const context: ScenarioContext = {
      client,
      stats,
      seed: target.seed,
      show,
      members: new MemberPool(target.seed.members),
      deadline: performance.now() + options.duration * 1000,
      connections,
      pollMs: 1000,
      wait: 'long-poll',
      idempotencyKeys: true,
      serverUrl: target.serverUrl,
    };
    const serverCpu = () => target.cpuGroups.server!().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
    console.error(`[dashboard] queued row, ${dashboards} dashboards, ${connections} virtual users for ${options.duration} s`);
    const cpuBefore = serverCpu();
    const started = performance.now();
    stats.startedAt = Date.now();
    await flashSaleScenario(context);
    const seconds = (performance.now() - started) / 1000;
    const serverCpuSeconds = serverCpu() - cpuBefore;
    client.close();
    // the last bookings reach the dashboards within a sample or two
    await new Promise((resolve) => setTimeout(resolve, 2500));
    viewers?.close();
    const samples = viewers?.samples ?? [];
    return {
      dashboards,
      seconds,
      bookings: stats.bookings,
      serverCpuSeconds,
      samples: samples.reduce((sum, s) => sum + s.length, 0),
      latencies: bookingToDashboardMs(confirmedAt, samples),
      machineLoad: loadavg()[0]!.toFixed(1),
    };
  } finally {
    await target.stop();
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const msPerBooking = (row: Row) => (1000 * row.serverCpuSeconds) / Math.max(1, row.bookings);

function table(rows: Row[]): string {
  const lines = [
    '| run | dashboards | bookings/s | server CPU (s) | server CPU ms / booking | samples received | booking → dashboard p50 / p95 / max (ms) | load avg (1 min) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  rows.forEach((row, i) => {
    const latency = row.latencies.length
      ? `${percentile(row.latencies, 50).toFixed(0)} / ${percentile(row.latencies, 95).toFixed(0)} / ${row.latencies.reduce((max, ms) => Math.max(max, ms), -Infinity).toFixed(0)}`
      : '–';
    lines.push(
      `| ${i + 1} | ${row.dashboards} | ${(row.bookings / row.seconds).toFixed(0)} | ${row.serverCpuSeconds.toFixed(1)} | ${msPerBooking(row).toFixed(2)} | ${row.samples} | ${latency} | ${row.machineLoad} |`,
    );
  });
  const mean = (list: Row[]) => list.reduce((sum, row) => sum + msPerBooking(row), 0) / Math.max(1, list.length);
  const without = mean(rows.filter((row) => row.dashboards === 0));
  const withDashboards = mean(rows.filter((row) => row.dashboards > 0));
  const share = withDashboards > 0 ? (100 * (withDashboards - without)) / withDashboards : NaN;
  lines.push(
    '',
    `server CPU per booking, with ${options.dashboards} dashboards / without: ${withDashboards.toFixed(2)} / ${without.toFixed(2)} ms = ${(withDashboards / without).toFixed(3)}` +
      ` (the dashboards' share of the server's CPU: ${share.toFixed(1)} %)`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // alternated, so that a change in the machine's load falls on both sides
    for (const dashboards of round % 2 === 0 ? [0, options.dashboards] : [options.dashboards, 0]) {
      rows.push(await runOnce(dashboards));
      // each run as it ends, so that a long series is not lost to a late failure
      console.error(table(rows.slice(-1)).split('\n').slice(2, 3).join(''));
    }
  }
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${options.workers} workers, ${options.nginx ? 'through Nginx' : 'no Nginx'}`,
  );
  console.log(table(rows));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
