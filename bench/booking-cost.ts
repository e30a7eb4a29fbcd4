import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { breakDown, formatBreakdown } from './load/cost-breakdown.js';
import { microsEach, type ThreadKind } from './load/proc-cpu.js';

/**
 * `npm run bench:booking-cost -- [load options]`: one `npm run load` row (default: `holds`) with
 * every server process under `--cpu-prof`, then where a booking's server CPU goes. The total per
 * booking is the run's own /proc figure (server CPU seconds ÷ bookings, start-up excluded); the
 * profiles only split it into parts (HTTP, auth, idempotency, decide, append, projections, ...).
 */
const args = process.argv.slice(2);
const profiles = mkdtempSync(path.join(tmpdir(), 'onsale-booking-cost-'));
const json = path.join(profiles, 'rows.json');
// no yardstick: its bare Koa processes would run under the profiler too, and the split is the point here
const load = [...(args.length > 0 && !args[0]!.startsWith('-') ? args : ['holds', ...args]), '--settle', '--no-yardstick'];
console.log(`[booking-cost] npm run load -- ${load.join(' ')} (profiles in ${profiles})`);
execFileSync(process.execPath, ['--import', 'tsx', 'bench/load/run.ts', ...load, '--json', json], {
  stdio: 'inherit',
  env: { ...process.env, SERVER_NODE_ARGS: `${process.env.SERVER_NODE_ARGS ?? ''} --cpu-prof --cpu-prof-dir=${profiles}`.trim() },
});
const [row] = JSON.parse(readFileSync(json, 'utf8')) as {
  name: string;
  seconds: number;
  bookingsPerSecond: number;
  cpu: Record<string, number>;
  threads?: Record<string, Record<ThreadKind, number>>;
  monotonicWindowMicros: [number, number];
  settled?: { settled: boolean; seconds: number; cpuSeconds: Record<string, number> };
}[];
if (!row) throw new Error('the load run wrote no row');
const bookings = row.bookingsPerSecond * row.seconds;
const serverSeconds = ((row.cpu.server ?? 0) / 100) * availableParallelism() * row.seconds;
const micros = (serverSeconds * 1e6) / Math.max(1, bookings);
console.log(
  `\n[booking-cost] ${row.name}: ${bookings.toFixed(0)} bookings in ${row.seconds.toFixed(1)} s, server CPU ${serverSeconds.toFixed(1)} s ` +
    `→ ${micros.toFixed(0)} µs per booking (load average ${loadavg()[0]!.toFixed(1)})\n`,
);
if (row.settled) {
  // what the bookings left behind (projections, the waiting list's reactor) is theirs too
  const settledMicros = ((row.settled.cpuSeconds.server ?? 0) * 1e6) / Math.max(1, bookings);
  console.log(
    `[booking-cost] until the projections and reactors caught up (${row.settled.seconds.toFixed(1)} s after the window` +
      `${row.settled.settled ? '' : ', NOT caught up'}): server CPU ${(row.settled.cpuSeconds.server ?? 0).toFixed(1)} s → ` +
      `${settledMicros.toFixed(0)} µs per booking\n`,
  );
}
// the helper threads' part from /proc (a V8 profile samples the event loop alone)
const server = row.threads?.server;
const perBooking = (share: number) => microsEach(share, row.seconds, bookings);
const helpers = server && { v8: perBooking(server.v8), libuv: perBooking(server.libuv), other: perBooking(server.other) };
console.log(formatBreakdown(breakDown(profiles, row.monotonicWindowMicros), micros, helpers));
if (!process.env.BENCH_KEEP_PROFILES) rmSync(profiles, { recursive: true, force: true });
