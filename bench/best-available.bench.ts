/**
 * Best-available decisions per second, in process, on halls of 1,000 / 10,000 / 60,000 seats:
 * `decide` + folding its events into the state, as a batch of the BookingProcessor does. The
 * baseline in the same run replays exactly the same holds and releases as hand picks (the seats
 * named), so the ratio is what choosing the seats costs on top of holding them.
 * Usage: npm run bench:best-available   (BENCH_SECONDS per row, default 2)
 */
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

interface Run {
  decisions: number;
  seconds: number;
  /** Each decision's seats, to replay. */
  log: string[][];
}

/** Holds until 90 % of the hall is taken, then releases the oldest hold before each new one. */
function run(show: ShowDefinition, request: (i: number) => HoldRequest, limit: number): Run {
  const state = bookingDecider.evolve(bookingDecider.initialState(), {
    type: 'ShowScheduled',
    data: { showId: SHOW_ID, show, scheduledAt: '2026-11-01T00:00:00.000Z' },
  }) as BookingState;
  const capacity = (show.seating as { sections: SectionSpec[] }).sections.reduce((sum, s) => sum + s.rows * s.seatsPerRow, 0);
  const open: { holdId: string; events: BookingEvent[] }[] = [];
  const log: string[][] = [];
  let taken = 0;
  let oldest = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  let i = 0;
  for (; i < limit && (i % 256 !== 0 || performance.now() < end); i++) {
    while (taken > capacity * 0.9) taken -= release(state, open[oldest++]!.events);
    state.ledger = initialLedger(); // a member's own ledger, as in the processor
    const holdId = `${SHOW_ID}.h${i.toString(16).padStart(16, '0')}`;
    const events = bookingDecider.decide(
      { type: 'HoldSeats', showId: SHOW_ID, memberId: `m${i}`, holdId, request: request(i), now: NOW, expiresAt: EXPIRES },
      state,
    ) as BookingEvent[];
    for (const event of events) bookingDecider.evolve(state, event);
    const seats = events.flatMap((e) => (e.type === 'SeatsHeld' ? e.data.seats : []));
    taken += seats.length;
    open.push({ holdId, events });
    log.push(seats);
  }
  return { decisions: i, seconds: (performance.now() - started) / 1000, log };
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

/** The index built from scratch on a hall that is 90 % taken: what the first best-available request after a load pays. */
function buildMs(show: ShowDefinition, log: string[][]): number {
  const spec = (show.seating as { sections: SectionSpec[] }).sections[0]!;
  const inventory = { seats: new Map<string, { holdId: string; expiresAt: number; sold: boolean }>(), sold: 0, holds: new Map() };
  for (const seats of log)
    for (const seat of seats) if (seat.startsWith(`${spec.id}-`)) inventory.seats.set(seat, { holdId: 'h', expiresAt: 0, sold: false });
  const started = performance.now();
  freeRunsOf(inventory, spec);
  return performance.now() - started;
}

const rows: string[] = [];
console.log(`best available, in process: ${os.cpus()[0]?.model} (${os.cpus().length} cores), Node ${process.version}, ${SECONDS} s a row`);
console.log(
  '| seats | sections | best available (decisions/s) | hand-picked, same seats (decisions/s) | ratio | index build, one section (ms) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const seats of [1_000, 10_000, 60_000]) {
  const show = hall(seats);
  const next = parties();
  run(show, () => ({ quantity: next(), together: 'preferred' }), 20_000); // warm-up
  const best = run(show, () => ({ quantity: next(), together: 'preferred' }), Infinity);
  const picked = run(show, (i) => ({ seats: best.log[i]! }), best.log.length);
  const sections = (show.seating as { sections: SectionSpec[] }).sections.length;
  const bestRate = best.decisions / best.seconds;
  const pickedRate = picked.decisions / picked.seconds;
  const row = `| ${seats.toLocaleString('en')} | ${sections} | ${Math.round(bestRate).toLocaleString('en')} | ${Math.round(pickedRate).toLocaleString('en')} | ${(bestRate / pickedRate).toFixed(2)} | ${buildMs(show, best.log).toFixed(2)} |`;
  rows.push(row);
  console.log(row);
}
