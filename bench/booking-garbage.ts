import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allocationsIn, formatAllocations } from './load/allocation-breakdown.js';

/**
 * `npm run bench:booking-garbage -- [load options]`: one `npm run load` row (default: `holds`) with
 * V8's sampling heap profiler in every server process for the window (objects already collected
 * counted), then what a booking allocates: KB a booking by the issue's categories, by the function
 * that allocated, and by the nearest frame of our own code. Every byte allocated is work for the
 * young generation's scavenges (and what outlives one, for the old generation's marking).
 */
const args = process.argv.slice(2);
const profiles = mkdtempSync(path.join(tmpdir(), 'onsale-booking-garbage-'));
const json = path.join(profiles, 'rows.json');
const sampler = path.resolve(import.meta.dirname, 'load/allocation-sampler.ts');
const load = [...(args.length > 0 && !args[0]!.startsWith('-') ? args : ['holds', ...args]), '--no-yardstick'];
console.log(`[booking-garbage] npm run load -- ${load.join(' ')} (profiles in ${profiles})`);
execFileSync(process.execPath, ['--import', 'tsx', 'bench/load/run.ts', ...load, '--json', json], {
  stdio: 'inherit',
  env: {
    ...process.env,
    ALLOCATION_PROFILE_DIR: profiles,
    SERVER_NODE_ARGS: `${process.env.SERVER_NODE_ARGS ?? ''} --import=${sampler}`.trim(),
  },
});
const [row] = JSON.parse(readFileSync(json, 'utf8')) as { name: string; seconds: number; bookingsPerSecond: number }[];
if (!row) throw new Error('the load run wrote no row');
const bookings = Math.max(1, row.bookingsPerSecond * row.seconds);
// the last process's profile is written as the signal is handled: give them a moment
await new Promise((resolve) => setTimeout(resolve, 1000));
const { byCategory, bySite, byOwnFrame } = allocationsIn(profiles);
const total = [...bySite.values()].reduce((a, b) => a + b, 0);
console.log(
  `\n[booking-garbage] ${row.name}: ${bookings.toFixed(0)} bookings in ${row.seconds.toFixed(1)} s, ` +
    `${(total / 1024 / 1024).toFixed(0)} MB allocated → ${(total / 1024 / bookings).toFixed(1)} KB a booking\n`,
);
console.log(formatAllocations('category', new Map([...byCategory].map(([k, v]) => [k as string, v])), bookings, total, 20));
console.log();
console.log(formatAllocations('allocated in', bySite, bookings, total, 30));
console.log();
console.log(formatAllocations('for our frame', byOwnFrame, bookings, total, 30));
if (!process.env.BENCH_KEEP_PROFILES) rmSync(profiles, { recursive: true, force: true });
