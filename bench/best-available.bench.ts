/**
 * Best-available decisions per CPU-second, in process, on halls of 1,000 / 10,000 / 60,000 seats:
 * `decide` + folding its events into the state, as a batch of the BookingProcessor does. The
 * baseline in the same run replays exactly the same holds and releases as hand picks (the seats
 * named), so the ratio is what choosing the seats costs on top of holding them.
 * Usage: npm run bench:best-available   (BENCH_SECONDS per row, default 2)
 * `npm run bench:best-available -- --end-to-end [load options]` runs the flash sale over HTTP instead:
 * `npm run load -- best-available` (best available against hand-picking, the same crowd).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { bookingDecider, type BookingState } from '../src/domain/booking/booking.decider.js';
import type { HoldRequest } from '../src/domain/booking/booking.commands.js';
import type { BookingEvent } from '../src/domain/booking/booking.events.js';
import { evolveInventory, freeRunsOf } from '../src/domain/booking/inventory.state.js';
import { initialLedger } from '../src/domain/booking/ledger.state.js';
import type { SectionSpec, ShowDefinition } from '../src/domain/catalog/show.events.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const SHOW_ID = '11111111-2222-4333-8444-555555555555';
const NOW = new Date('2026-12-01T10:00:10.000Z');
const EXPIRES = new Date('2026-12-01T11:00:00.000Z');

/** Sections of 50 seats a row, dearer at the front, an aisle after seat 25, four wheelchair places per section. */
function hall(seats: number): ShowDefinition {
  const sections = Math.max(2, Math.round(seats / 5000));
  const rows = seats / sections / 50;
  const spec = (i: number): SectionSpec => ({
    id: `S${i}`,
    name: `Section ${i}`,
    rows,
    seatsPerRow: 50,
    price: 10_000 - 500 * Math.floor(i / 2),
    aisles: [25],
    wheelchair: [`${rows}-1`, `${rows}-2`, `${rows}-49`, `${rows}-50`],
  });
  return {
    title: 'Bench',
    venue: 'Hall',
    startsAt: '2026-12-20T20:00:00.000Z',
    salesOpenAt: '2026-12-01T10:00:00.000Z',
    maxTicketsPerMember: 100,
    currency: 'EUR',
    seating: { sections: Array.from({ length: sections }, (_, i) => spec(i)) },
    queue: { enabled: false, admitPerSecond: 10, maxActive: 100 },
  };
}

/** A seeded party size 1–6, most of them 2. */
function parties(): () => number {
  let x = 42;
  const sizes = [1, 2, 2, 2, 3, 4, 4, 5, 6];
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return sizes[x % sizes.length]!;
  };
}

/** One hall being sold: holds until 90 % is taken, then the oldest hold is released before each new one. */
class Lane {
  readonly state: BookingState;
  private readonly capacity: number;
  private readonly open: BookingEvent[][] = [];
  private oldest = 0;
  private taken = 0;
  decisions = 0;
  /** CPU microseconds this process spent in the lane's slices (deciding, folding, releasing). */
  cpu = 0;

  constructor(show: ShowDefinition) {
    this.state = bookingDecider.evolve(bookingDecider.initialState(), {
      type: 'ShowScheduled',
      data: { showId: SHOW_ID, show, scheduledAt: '2026-11-01T00:00:00.000Z' },
    });
    this.capacity = (show.seating as { sections: SectionSpec[] }).sections.reduce((sum, s) => sum + s.rows * s.seatsPerRow, 0);
  }

  /** One hold decided and folded; returns its seats. */
  hold(request: HoldRequest): string[] {
    while (this.taken > this.capacity * 0.9) this.taken -= release(this.state, this.open[this.oldest++]!);
    this.state.ledger = initialLedger(); // a member's own ledger, as in the processor
    const i = this.decisions++;
    const holdId = `${SHOW_ID}.h${i.toString(16).padStart(16, '0')}`;
    const command = { type: 'HoldSeats' as const, showId: SHOW_ID, memberId: `m${i}`, holdId, request, now: NOW, expiresAt: EXPIRES };
    const events = bookingDecider.decide(command, this.state) as BookingEvent[];
    for (const event of events) bookingDecider.evolve(this.state, event);
    const seats = events.flatMap((e) => (e.type === 'SeatsHeld' ? e.data.seats : []));
    this.taken += seats.length;
    this.open.push(events);
    return seats;
  }

  /** Runs `slice` and adds the CPU time it took. */
  timed<T>(slice: () => T): T {
    const before = process.cpuUsage();
    const result = slice();
    const used = process.cpuUsage(before);
    this.cpu += used.user + used.system;
    return result;
  }

  /** Decisions per CPU-second. */
  get rate(): number {
    return (this.decisions / this.cpu) * 1e6;
  }
}

/**
 * Best available and hand-picking in alternating slices of 64 holds: each slice of best-available
 * holds is followed by the same seats named on a second hall in the same state. Time is the
 * process's CPU time (`process.cpuUsage`), not the wall clock, so that other work on a shared
 * machine does not count; both lanes see the same cache and GC conditions.
 */
function race(show: ShowDefinition, seconds: number): { best: Lane; picked: Lane } {
  const best = new Lane(show);
  const picked = new Lane(show);
  const next = parties();
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const held = best.timed(() => Array.from({ length: 64 }, () => best.hold({ quantity: next(), together: 'preferred' })));
    picked.timed(() => held.forEach((seats) => picked.hold({ seats })));
  }
  return { best, picked };
}

function release(state: BookingState, events: BookingEvent[]): number {
  let freed = 0;
  for (const e of events) {
    if (e.type !== 'SeatsHeld') continue;
    const { seats, part, holdId, quantity } = e.data;
    evolveInventory(state.inventory[part]!, {
      type: 'SeatsReleased',
      data: { showId: SHOW_ID, part, holdId, seats, quantity, reason: 'released' },
    });
    freed += seats.length;
  }
  return freed;
}

/** The first section's index built from scratch on its claimed seats: what the first best-available request after a load pays. */
function buildMs(show: ShowDefinition, state: BookingState): number {
  const spec = (show.seating as { sections: SectionSpec[] }).sections[0]!;
  const inventory = { ...state.inventory[spec.id]!, runs: undefined };
  const started = performance.now();
  freeRunsOf(inventory, spec);
  return performance.now() - started;
}

const endToEnd = process.argv.indexOf('--end-to-end');
if (endToEnd >= 0) {
  const rest = process.argv.slice(2).filter((arg) => arg !== '--end-to-end');
  const run = spawnSync(process.execPath, [...process.execArgv, 'bench/load/run.ts', 'best-available', ...rest], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

console.log(
  `best available, in process: ${os.cpus()[0]?.model} (${os.cpus().length} cores), Node ${process.version}, ${SECONDS} s a row, decisions per CPU-second`,
);
console.log(
  '| seats | sections | best available (decisions/s) | hand-picked, same seats (decisions/s) | ratio | index build, one section 90 % taken (ms) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const seats of (process.env.BENCH_SEATS ?? '1000,10000,60000').split(',').map(Number)) {
  const show = hall(seats);
  race(show, 0.5); // warm-up
  const { best, picked } = race(show, SECONDS);
  const sections = (show.seating as { sections: SectionSpec[] }).sections.length;
  const format = (n: number) => Math.round(n).toLocaleString('en');
  console.log(
    `| ${seats.toLocaleString('en')} | ${sections} | ${format(best.rate)} | ${format(picked.rate)} | ${(best.rate / picked.rate).toFixed(2)} | ${buildMs(show, best.state).toFixed(2)} |`,
  );
}
