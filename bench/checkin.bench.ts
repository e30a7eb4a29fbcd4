import 'reflect-metadata';
import { randomBytes, verify as edVerify, createPublicKey } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { DependencyContainer } from 'tsyringe';
import { GrantStaffHandler } from '../src/application/members/grant-staff.handler.js';
import type { MemberDirectory, TokenIssuer } from '../src/application/members/members.ports.js';
import type { Authenticator } from '../src/application/ports/authenticator.js';
import { seedSale } from '../src/infrastructure/cli/seed.command.js';
import type { SeedMember } from '../src/infrastructure/cli/seed-output.js';
import { apiRoutes } from '../src/infrastructure/http/api-routes.js';
import { createApp } from '../src/infrastructure/http/app.js';
import type { ReadinessCheck } from '../src/infrastructure/http/readiness.js';
import type { Logger } from '../src/infrastructure/logging/logger.js';
import { JsonClient } from '../tests/support/server-process.js';
import { RESERVATIONS_PROJECTION } from '../src/application/booking/read-models.js';
import { ScheduleShowHandler } from '../src/application/catalog/schedule-show.handler.js';
import type { EventStore, StreamAppend } from '../src/application/ports/event-store.js';
import type { ProjectionWaiter } from '../src/application/ports/projection-waiter.js';
import type { TicketSigner } from '../src/application/ports/ticket-signer.js';
import { CheckInHandler } from '../src/application/tickets/check-in.handler.js';
import { TOKENS } from '../src/application/tokens.js';
import { holdIdOf, reservationIdOf } from '../src/domain/booking/booking-ids.js';
import { ledgerStreamId } from '../src/domain/booking/booking.events.js';
import { parseTicketCode, ticketCode, ticketMessage } from '../src/domain/tickets/ticket-code.js';
import { ticketsOf } from '../src/domain/tickets/ticket.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import { buildContainer } from '../src/infrastructure/container.js';
import type { Lifecycle } from '../src/infrastructure/lifecycle.js';
import { SqlTicketKeyRing } from '../src/infrastructure/tickets/sql-ticket-key-ring.js';
import { createTestDatabase } from '../tests/support/services.js';

/**
 * Door check-ins per second for a show of `BENCH_TICKETS` (50,000) tickets on MariaDB + Redis
 * (`TEST_MYSQL_URL`, `TEST_REDIS_URL`), in process: `BENCH_GATES` (64) scanners at once through
 * `CheckInHandler` (verify, read the reservation's ledger and tickets stream, append), then the
 * tickets left through `POST /api/checkins` on this container's Koa app, each for at most
 * `BENCH_SECONDS` (15). Baseline in the same run: Ed25519 verification of the same codes alone.
 * The reservations are written straight to their ledger streams (HoldPlaced + HoldConfirmed, 4 GA
 * tickets each), not through the booking core: this measures the door, not the sale.
 */
const TICKETS = Number(process.env.BENCH_TICKETS ?? 50_000);
const GATES = Number(process.env.BENCH_GATES ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PER_RESERVATION = 4;

async function main(): Promise<void> {
  const database = await createTestDatabase('onsale_bench_checkin');
  const config = loadConfig({
    ...process.env,
    MYSQL_URL: database.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_DIR: `/tmp/${database.name}`,
    JWT_SECRET: 'checkin-bench-secret-of-at-least-32-characters',
    LOG_LEVEL: 'warn',
    // a machine shared with other sessions may take more than the default 2 s to accept a connection
    MYSQL_CONNECT_TIMEOUT_MS: process.env.MYSQL_CONNECT_TIMEOUT_MS ?? '10000',
  });
  const servers: http.Server[] = [];
  let lifecycle: Lifecycle | undefined;
  try {
    const { members } = await seedSale(config, { members: 1, shows: [], concurrency: 1 });
    const container = await buildContainer(config);
    lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
    await lifecycle.start();
    const codes = await setUp(container.resolve<EventStore>(TOKENS.EventStore), container);
    const signer = container.resolve<TicketSigner>(TOKENS.TicketSigner);
    const rows: [string, Result][] = [];
    rows.push(['Ed25519 verify alone (baseline)', await baseline(codes, container.resolve(SqlTicketKeyRing))]);
    const verifyCode = (code: string) => {
      const parsed = parseTicketCode(code);
      return signer.verify(parsed.kid, parsed.message, parsed.signature);
    };
    rows.push(['parse + `Ed25519TicketSigner.verify`', await timedSerial(codes, verifyCode)]);
    const handler = container.resolve(CheckInHandler);
    const staff = { memberId: 'bench-staff', roles: ['staff'] };
    const inProcess = await timedGates(codes, (code, gate) => handler.handle({ code, gate: `G${gate}`, staff }).then(() => undefined));
    rows.push([`\`CheckInHandler\` in process, ${GATES} gates at once`, inProcess]);
    const port = await listen(container, servers);
    const token = await staffToken(container, members[0]!);
    const client = new JsonClient(GATES);
    const overHttp = await timedGates(codes.slice(inProcess[0] + inProcess[5]), async (code, gate) => {
      const reply = await client.request(port, 'POST', '/api/checkins', { token, body: { code, gate: `G${gate}` } });
      if (reply.status !== 201) throw new Error(`${reply.status} ${JSON.stringify(reply.body)}`);
    });
    client.close();
    rows.push([`\`POST /api/checkins\` over HTTP, ${GATES} gates at once`, overHttp]);
    printTable(rows);
  } finally {
    for (const server of servers) server.close();
    await lifecycle?.stop(); // closes the stores
    await database.drop();
  }
}

function printTable(rows: [string, Result][]): void {
  const base = rows[0]![1][1];
  console.log(
    `\n| ${TICKETS.toLocaleString('en')}-ticket show, MariaDB + Redis | done | failed | seconds | per second | × baseline | p50 ms | p99 ms |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, [done, perSecond, seconds, p50, p99, failed]] of rows) {
    const cells = [done, failed, seconds.toFixed(1), Math.round(perSecond), (perSecond / base).toFixed(3), p50.toFixed(2), p99.toFixed(2)];
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  const load = os.loadavg().map((l) => l.toFixed(2));
  console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model}, load average ${load.join(' ')}, ${new Date().toISOString()}`);
}

/** A GA show and TICKETS / 4 confirmed reservations in their ledgers; returns every ticket's code. */
async function setUp(store: EventStore, container: DependencyContainer): Promise<string[]> {
  const now = Date.now();
  const { showId } = await container.resolve(ScheduleShowHandler).handle({
    title: 'Stadium',
    venue: 'Bench Arena',
    startsAt: new Date(now + 3_600_000).toISOString(),
    salesOpenAt: new Date(now - 86_400_000).toISOString(),
    maxTicketsPerMember: PER_RESERVATION,
    currency: 'EUR',
    seating: { generalAdmission: { capacity: TICKETS, price: 1000 } },
    queue: { enabled: false, admitPerSecond: 100, maxActive: 1000 },
  });
  const key = await container.resolve<TicketSigner>(TOKENS.TicketSigner).current();
  const codes: string[] = [];
  let appends: StreamAppend[] = [];
  const at = new Date(now).toISOString();
  for (let r = 0; r < TICKETS / PER_RESERVATION; r++) {
    const memberId = `bench-member-${r}`;
    const holdId = holdIdOf(showId, randomBytes(8).toString('hex'));
    const reservationId = reservationIdOf(holdId);
    const common = { showId, memberId, holdId, seats: [], quantity: PER_RESERVATION, total: 4000, currency: 'EUR' };
    appends.push({
      streamId: ledgerStreamId(showId, memberId),
      expected: 'no_stream',
      events: [
        {
          id: crypto.randomUUID(),
          type: 'HoldPlaced',
          data: { ...common, parts: [{ part: 'ga0', seats: [], quantity: 4, price: 1000 }], expiresAt: at, placedAt: at },
        },
        { id: crypto.randomUUID(), type: 'HoldConfirmed', data: { ...common, reservationId, confirmedAt: at } },
      ],
    });
    for (const ticket of ticketsOf({ showId, reservationId, seats: [], quantity: PER_RESERVATION })) {
      const message = ticketMessage(key.kid, ticket);
      codes.push(ticketCode(message, key.sign(message)));
    }
    if (appends.length === 250) {
      await store.appendMulti(appends);
      appends = [];
    }
  }
  if (appends.length > 0) await store.appendMulti(appends);
  const waiter = container.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter);
  if (!(await waiter.waitFor(RESERVATIONS_PROJECTION, await store.headPosition(), 120_000)))
    throw new Error('reservations read model behind');
  // shuffled: arrivals at the door are not in booking order
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [codes[i], codes[j]] = [codes[j]!, codes[i]!];
  }
  return codes;
}

/** The API on a port of its own, on this container. */
function listen(container: DependencyContainer, servers: http.Server[]): Promise<number> {
  const logger = container.resolve<Logger>(TOKENS.Logger);
  const app = createApp({
    logger,
    authenticator: container.resolve<Authenticator>(TOKENS.Authenticator),
    routes: apiRoutes(container),
    readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
  });
  const server = http.createServer(app.callback());
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** The seeded member made staff of every show, with a token that carries the role. */
async function staffToken(container: DependencyContainer, member: SeedMember): Promise<string> {
  await container.resolve(GrantStaffHandler).handle({ email: member.email });
  const directory = container.resolve<MemberDirectory>(TOKENS.MemberDirectory);
  for (let attempt = 0; attempt < 200; attempt++) {
    const account = await directory.byId(member.id);
    if (account?.roles.includes('staff')) return (await container.resolve<TokenIssuer>(TOKENS.TokenIssuer).issue(account)).accessToken;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the staff role never reached the members read model');
}

/** Failures (a 503 or a timeout on a loaded machine) are counted, not timed. */
type Result = [done: number, perSecond: number, seconds: number, p50: number, p99: number, failed: number];

async function baseline(codes: string[], ring: SqlTicketKeyRing): Promise<Result> {
  const [row] = await ring.all();
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: row!.public_x }, format: 'jwk' });
  return timedSerial(codes, async (code) => {
    const cut = code.lastIndexOf('.');
    if (!edVerify(null, Buffer.from(code.slice(0, cut)), publicKey, Buffer.from(code.slice(cut + 1), 'base64url'))) throw new Error('bad');
  });
}

async function timedSerial(codes: string[], run: (code: string) => Promise<unknown>): Promise<Result> {
  const latencies: number[] = [];
  const started = performance.now();
  for (const code of codes) {
    const t = performance.now();
    await run(code);
    latencies.push(performance.now() - t);
    if (performance.now() - started > SECONDS * 1000) break;
  }
  return result(latencies, performance.now() - started);
}

async function timedGates(codes: string[], run: (code: string, gate: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: GATES }, async (_, gate) => {
      while (next < codes.length && performance.now() < end) {
        const code = codes[next++]!;
        const t = performance.now();
        try {
          await run(code, gate);
          latencies.push(performance.now() - t);
        } catch (error) {
          if (failed++ === 0) console.error(`first failure: ${(error as Error).message}`);
        }
      }
    }),
  );
  return result(latencies, performance.now() - started, failed);
}

function result(latencies: number[], ms: number, failed = 0): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return [latencies.length, latencies.length / (ms / 1000), ms / 1000, pct(0.5), pct(0.99), failed];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
