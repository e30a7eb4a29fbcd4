import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import knexFactory from 'knex';
import { ScheduleShowHandler } from '../src/application/catalog/schedule-show.handler.js';
import type { Authenticator } from '../src/application/ports/authenticator.js';
import { TOKENS } from '../src/application/tokens.js';
import { seedSale } from '../src/infrastructure/cli/seed.command.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import { buildContainer } from '../src/infrastructure/container.js';
import { apiRoutes } from '../src/infrastructure/http/api-routes.js';
import { createApp } from '../src/infrastructure/http/app.js';
import type { ReadinessCheck } from '../src/infrastructure/http/readiness.js';
import type { Lifecycle } from '../src/infrastructure/lifecycle.js';
import { createLogger } from '../src/infrastructure/logging/logger.js';
import { JsonClient } from '../tests/support/server-process.js';

/**
 * What the per-request observation costs on the booking path (hold + confirm over HTTP): one
 * container (MariaDB + Redis), two Koa apps on it, one with request ids and HTTP metrics and one
 * without, driven in turns A B B A so that drift (the machine, the growing tables) falls on both.
 * The event-store timing and the log mixin are in both apps: they are counted per append and per
 * log line, not per request.
 */
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

interface Round {
  app: 'with' | 'without';
  bookings: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
}

async function main(): Promise<void> {
  const name = `onsale_bench_metrics_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const config = loadConfig({
    MYSQL_URL: `${MYSQL_URL.replace(/\/$/, '')}/${name}`,
    REDIS_URL,
    DATA_DIR: `/tmp/${name}`,
    JWT_SECRET: 'metrics-bench-secret-of-at-least-32-characters',
    LOG_LEVEL: 'warn',
  });
  const servers: http.Server[] = [];
  try {
    const seeded = await seedSale(config, { members: MEMBERS, shows: [], concurrency: 32 });
    const logger = createLogger('warn');
    const container = await buildContainer(config, logger);
    const lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
    await lifecycle.start();
    try {
      const parts = {
        logger,
        authenticator: container.resolve<Authenticator>(TOKENS.Authenticator),
        routes: apiRoutes(container),
        readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
      };
      const ports = {
        with: await listen(createApp({ ...parts, observe: true }).callback(), servers),
        without: await listen(createApp({ ...parts, observe: false }).callback(), servers),
      };
      const { showId } = await container.resolve(ScheduleShowHandler).handle(showBody());
      const client = new JsonClient(CONCURRENCY);
      const book = async (port: number, member: number) => {
        const token = seeded.members[member]!.accessToken;
        const held = await client.request(port, 'POST', `/api/shows/${showId}/holds`, { token, body: { quantity: 1 } });
        if (held.status !== 201) return false;
        return (await client.request(port, 'POST', `/api/holds/${held.body.holdId}/confirm`, { token })).status === 201;
      };
      await measure('with', (m) => book(ports.with, m), 2); // warm-up, not reported
      await measure('without', (m) => book(ports.without, m), 2);
      const rounds: Round[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        for (const app of ['with', 'without', 'without', 'with'] as const) {
          rounds.push(await measure(app, (m) => book(ports[app], m), SECONDS));
          printRound(rounds.length, rounds.at(-1)!);
        }
      }
      client.close();
      printSummary(rounds);
    } finally {
      await lifecycle.stop();
    }
  } finally {
    for (const server of servers) server.close();
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  }
}

async function measure(app: Round['app'], book: (member: number) => Promise<boolean>, seconds: number): Promise<Round> {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await book(next++ % MEMBERS).catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { app, bookings: latencies.length, seconds: (performance.now() - started) / 1000, p50: at(0.5), p99: at(0.99), failed };
}

function listen(handler: http.RequestListener, servers: http.Server[]): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function showBody() {
  const now = Date.now();
  return {
    title: 'Metrics bench',
    venue: 'Bench Arena',
    startsAt: new Date(now + 86_400_000).toISOString(),
    salesOpenAt: new Date(now - 1000).toISOString(),
    maxTicketsPerMember: 100,
    currency: 'EUR',
    seating: { generalAdmission: { capacity: 1_000_000, price: 4000 } },
    queue: { enabled: false, admitPerSecond: 1000, maxActive: 100_000 },
  };
}

function printRound(index: number, round: Round): void {
  if (index === 1) {
    console.log(
      `\nmetrics cost: hold + confirm over HTTP, ${SECONDS} s a round, ${CONCURRENCY} clients, ${MEMBERS} members, MariaDB + Redis`,
    );
    console.log('| round | app | bookings/s | p50 ms | p99 ms | failed |');
    console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
  }
  const rate = Math.round(round.bookings / round.seconds);
  console.log(
    `| ${index} | ${round.app} | ${rate.toLocaleString('en')} | ${round.p50.toFixed(1)} | ${round.p99.toFixed(1)} | ${round.failed} |`,
  );
}

function printSummary(rounds: Round[]): void {
  const rate = (app: Round['app']) => {
    const mine = rounds.filter((r) => r.app === app);
    return mine.reduce((sum, r) => sum + r.bookings, 0) / mine.reduce((sum, r) => sum + r.seconds, 0);
  };
  const [withRate, withoutRate] = [rate('with'), rate('without')];
  console.log(`\n| app | bookings/s (all rounds) | of without |`);
  console.log('| --- | ---: | ---: |');
  console.log(`| without request ids and HTTP metrics | ${Math.round(withoutRate).toLocaleString('en')} | 100% |`);
  console.log(`| with | ${Math.round(withRate).toLocaleString('en')} | ${((withRate / withoutRate) * 100).toFixed(1)}% |`);
}

await main();
process.exit(0);
