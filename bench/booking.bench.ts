import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import type { DependencyContainer } from 'tsyringe';
import { BookingProcessor } from '../src/application/booking/booking-processor.js';
import { ConfirmHoldHandler } from '../src/application/booking/confirm-hold.handler.js';
import { HoldSeatsHandler } from '../src/application/booking/hold-seats.handler.js';
import { ScheduleShowHandler } from '../src/application/catalog/schedule-show.handler.js';
import { TOKENS } from '../src/application/tokens.js';
import type { Seating } from '../src/domain/catalog/show.events.js';
import { seedSale } from '../src/infrastructure/cli/seed.command.js';
import type { SeedMember } from '../src/infrastructure/cli/seed-output.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import { buildContainer } from '../src/infrastructure/container.js';
import type { Lifecycle } from '../src/infrastructure/lifecycle.js';
import { JsonClient, startServerProcess } from '../tests/support/server-process.js';

const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 4000);
const only = process.env.BENCH_ONLY?.split(',');

interface Row {
  mode: string;
  scenario: string;
  bookings: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
  conflicts?: number;
}

/** One booking = a hold and its confirmation; returns false when either was refused. */
type Book = (member: number, seq: number) => Promise<boolean>;

async function drive(mode: string, scenario: string, book: Book, concurrency = CONCURRENCY): Promise<Row> {
  const row = await measure(mode, scenario, book, concurrency);
  printRow(row);
  return row;
}

async function measure(mode: string, scenario: string, book: Book, concurrency: number): Promise<Row> {
  const latencies: number[] = [];
  let failed = 0;
  let seq = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let n = 0; performance.now() < end; n++) {
        const t0 = performance.now();
        const ok = await book((worker + n * concurrency) % MEMBERS, seq++).catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { mode, scenario, bookings: latencies.length, seconds, p50: at(0.5), p99: at(0.99), failed };
}

const sections = (count: number, seats: number): Seating => ({
  sections: Array.from({ length: count }, (_, i) => ({
    id: `S${i}`,
    name: `Section ${i}`,
    rows: seats / 100,
    seatsPerRow: 100,
    price: 5000,
  })),
});
/** Seat `seq` of a show with `count` sections, spread over the sections round-robin. */
const seatOf = (count: number, seq: number) => {
  const section = seq % count;
  const index = Math.floor(seq / count);
  return `S${section}-${Math.floor(index / 100) + 1}-${(index % 100) + 1}`;
};

const SCENARIOS: { name: string; seating: Seating; request: (seq: number) => { seats: string[] } | { quantity: number } }[] = [
  {
    name: 'general admission, 1,000,000 tickets (16 shards)',
    seating: { generalAdmission: { capacity: 1_000_000, price: 4000 } },
    request: () => ({ quantity: 1 }),
  },
  {
    name: 'reserved, 20 sections x 5,000 seats (20 streams)',
    seating: sections(20, 5000),
    request: (seq) => ({ seats: [seatOf(20, seq)] }),
  },
  {
    name: 'reserved, 1 section x 50,000 seats (one stream)',
    seating: sections(1, 50_000),
    request: (seq) => ({ seats: [seatOf(1, seq)] }),
  },
];

function showBody(seating: Seating) {
  const now = Date.now();
  return {
    title: 'Bench',
    venue: 'Bench Arena',
    startsAt: new Date(now + 86_400_000).toISOString(),
    salesOpenAt: new Date(now - 1000).toISOString(),
    maxTicketsPerMember: 100,
    currency: 'EUR',
    seating,
    queue: { enabled: false, admitPerSecond: 1000, maxActive: 100_000 },
  };
}

async function inProcess(container: DependencyContainer, members: SeedMember[]): Promise<Row[]> {
  const hold = container.resolve(HoldSeatsHandler);
  const confirm = container.resolve(ConfirmHoldHandler);
  const schedule = container.resolve(ScheduleShowHandler);
  const processor = container.resolve<BookingProcessor>(TOKENS.BookingProcessor);
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    if (only && !only.includes('in-process')) break;
    const { showId } = await schedule.handle(showBody(scenario.seating));
    const before = processor.conflicts;
    const row = await measure(
      'in-process',
      scenario.name,
      async (m, seq) => {
        const memberId = members[m]!.id;
        const held = await hold.handle({ showId, memberId, request: scenario.request(seq) });
        await confirm.handle({ holdId: held.holdId, memberId });
        return true;
      },
      CONCURRENCY,
    );
    rows.push({ ...row, conflicts: processor.conflicts - before });
    printRow(rows.at(-1)!);
  }
  return rows;
}

async function overHttp(env: Record<string, string>, members: SeedMember[], admin: string | undefined, workers: number): Promise<Row[]> {
  const server = await startServerProcess({ ...env, WORKERS: String(workers) });
  const client = new JsonClient(CONCURRENCY);
  const mode = workers === 1 ? 'HTTP, 1 process' : `HTTP, ${workers} workers`;
  const rows: Row[] = [];
  try {
    rows.push(
      await drive(mode, 'bare baseline: GET /health/live (no auth, no store)', async () => {
        return (await client.request(server.port, 'GET', '/health/live')).status === 200;
      }),
    );
    for (const scenario of workers === 1 ? SCENARIOS.slice(0, 2) : SCENARIOS) {
      const created = await client.request(server.port, 'POST', '/api/shows', { token: admin, body: showBody(scenario.seating) });
      if (created.status !== 201) throw new Error(`could not create a show: ${JSON.stringify(created.body)}`);
      const showId = created.body.id as string;
      const row = await drive(mode, scenario.name, async (m, seq) => {
        const token = members[m]!.accessToken;
        const held = await client.request(server.port, 'POST', `/api/shows/${showId}/holds`, { token, body: scenario.request(seq) });
        if (held.status !== 201) return false;
        const confirmed = await client.request(server.port, 'POST', `/api/holds/${held.body.holdId}/confirm`, { token });
        return confirmed.status === 201;
      });
      rows.push(row);
    }
  } finally {
    client.close();
    await server.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  const name = `onsale_bench_booking_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const env = {
    MYSQL_URL: `${MYSQL_URL.replace(/\/$/, '')}/${name}`,
    REDIS_URL,
    DATA_DIR: `/tmp/${name}`,
    JWT_SECRET: 'booking-bench-secret-of-at-least-32-characters',
  };
  try {
    const config = loadConfig({ ...env, LOG_LEVEL: 'warn' });
    const seedStarted = performance.now();
    const seeded = await seedSale(config, { members: MEMBERS + 1, shows: [], concurrency: 32 });
    console.error(`seeded ${MEMBERS} members in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const members = seeded.members.slice(1);
    const container = await buildContainer(config);
    const lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
    await lifecycle.start();
    printHeader();
    const rows: Row[] = [];
    let adminToken: string | undefined;
    try {
      rows.push(...(await inProcess(container, members)));
      adminToken = await makeAdmin(container, seeded.members[0]!.email, seeded.password);
    } finally {
      await lifecycle.stop();
    }
    if (!only || only.includes('http')) rows.push(...(await overHttp(env, members, adminToken, 1)));
    if (!only || only.includes('http2')) rows.push(...(await overHttp(env, members, adminToken, 2)));
  } finally {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  }
}

async function makeAdmin(container: DependencyContainer, email: string, password: string): Promise<string> {
  const { GrantAdminHandler } = await import('../src/application/members/grant-admin.handler.js');
  const { LogInHandler } = await import('../src/application/members/log-in.handler.js');
  await container.resolve(GrantAdminHandler).handle({ email });
  for (let attempt = 0; ; attempt++) {
    const token = (await container.resolve(LogInHandler).handle({ email, password, ip: '127.0.0.1' })).accessToken;
    const roles = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).roles as string[];
    if (roles.includes('admin') || attempt > 100) return token;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function printHeader(): void {
  console.log(`\nbooking bench: ${SECONDS} s per row, ${CONCURRENCY} concurrent clients, ${MEMBERS} members, MariaDB + Redis`);
  console.log('| mode | scenario | bookings/s | p50 ms | p99 ms | failed | conflicts |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
}

function printRow(row: Row): void {
  const rate = Math.round(row.bookings / row.seconds);
  console.log(
    `| ${row.mode} | ${row.scenario} | ${rate.toLocaleString('en')} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.failed} | ${row.conflicts ?? ''} |`,
  );
}

await main();
process.exit(0);
