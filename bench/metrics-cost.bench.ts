import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import knexFactory from 'knex';
import { seedSale } from '../src/infrastructure/cli/seed.command.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import { JsonClient } from '../tests/support/server-process.js';
import { cpuSecondsOf } from './load/proc-cpu.js';

/**
 * What the per-request observation (request ids and HTTP metrics) costs on the booking path, as
 * server CPU per booking (hold + confirm over HTTP) with and without it.
 *
 * Two server processes (bench/metrics-cost.server.ts: a container on MariaDB + Redis, two Koa apps on
 * it, one with request ids and HTTP metrics and one without, and a show of its own) are driven at the
 * same time, each by half the clients and half the members: one through its "with" app, the other
 * through its "without" app, and the roles swap every round. So both sides of a pair see the same
 * machine at the same moment, and whatever else runs on it (or the tables growing) falls on both; a
 * difference between the processes themselves cancels out over the swaps. CPU time is read from each
 * process's /proc stat. `BENCH_SAME=1` drives the same app in both roles (an A/A run: the noise floor).
 */
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 128); // per side
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2000); // both sides together
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SAME = process.env.BENCH_SAME === '1';

type App = 'with' | 'without';
interface Server {
  process: ChildProcess;
  ports: Record<App, number>;
  showId: string;
  members: string[];
}
interface Side {
  app: App;
  bookings: number;
  cpuSeconds: number;
  p99: number;
  failed: number;
}

async function main(): Promise<void> {
  const name = `onsale_bench_metrics_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'mysql2', connection: MYSQL_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const env = {
    ...process.env,
    MYSQL_URL: `${MYSQL_URL.replace(/\/$/, '')}/${name}`,
    REDIS_URL,
    DATA_DIR: `/tmp/${name}`,
    JWT_SECRET: 'metrics-bench-secret-of-at-least-32-characters',
    LOG_LEVEL: 'warn',
  };
  const servers: Server[] = [];
  try {
    const seeded = await seedSale(loadConfig(env), { members: MEMBERS, shows: [], concurrency: 32 });
    const tokens = seeded.members.map((member) => member.accessToken);
    const half = Math.floor(tokens.length / 2);
    for (const members of [tokens.slice(0, half), tokens.slice(half)]) servers.push(await startServer(env, members));
    const client = new JsonClient(2 * CONCURRENCY);
    // an A/A run drives the "with" app on both sides but labels the rounds as an A/B run would
    const pair = (apps: [App, App], seconds: number) =>
      Promise.all(
        servers.map(async (server, i) => ({ ...(await measure(server, SAME ? 'with' : apps[i]!, client, seconds)), app: apps[i]! })),
      );
    await pair(['with', 'without'], 3); // warm-up, not reported
    await pair(['without', 'with'], 3);
    const sides: Side[][] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const first: App = round % 2 === 1 ? 'with' : 'without';
      const apps: [App, App] = [first, first === 'with' ? 'without' : 'with'];
      const measured = await pair(apps, SECONDS);
      printRound(round, measured);
      sides.push(measured);
    }
    client.close();
    printSummary(sides);
  } finally {
    await Promise.all(
      servers.map(({ process: child }) => {
        child.kill('SIGTERM');
        return new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      }),
    );
    rmSync(env.DATA_DIR, { recursive: true, force: true });
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  }
}

async function startServer(env: NodeJS.ProcessEnv, members: string[]): Promise<Server> {
  // BENCH_SERVER_ARGS: extra node options for the servers alone (e.g. --cpu-prof --cpu-prof-dir=/tmp/p)
  const serverArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...serverArgs, '--import', 'tsx', 'bench/metrics-cost.server.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = await new Promise<{ with: number; without: number; showId: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a bench server exited (${code})`)));
    // the server's log lines come first on the same stdout
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line);
      if ('showId' in parsed) resolve(parsed);
    });
  });
  return { process: child, ports: { with: started.with, without: started.without }, showId: started.showId, members };
}

async function measure(server: Server, app: App, client: JsonClient, seconds: number): Promise<Side> {
  const port = server.ports[app];
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const book = async (token: string) => {
    const held = await client.request(port, 'POST', `/api/shows/${server.showId}/holds`, { token, body: { quantity: 1 } });
    if (held.status !== 201) return false;
    return (await client.request(port, 'POST', `/api/holds/${held.body.holdId}/confirm`, { token })).status === 201;
  };
  const cpuBefore = cpuSecondsOf(server.process.pid!);
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await book(server.members[next++ % server.members.length]!).catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  const cpuSeconds = cpuSecondsOf(server.process.pid!) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(0.99 * latencies.length))] ?? 0;
  return { app, bookings: latencies.length, cpuSeconds, p99, failed };
}

const perBooking = (cpuSeconds: number, bookings: number) => (cpuSeconds * 1e6) / Math.max(1, bookings);

function printRound(round: number, sides: Side[]): void {
  if (round === 1) {
    console.log(
      `\nmetrics cost: hold + confirm over HTTP on two server processes at once, ${SECONDS} s a round, ${CONCURRENCY} clients and ${MEMBERS / 2} members each, MariaDB + Redis${SAME ? ' (A/A: the "with" app in both roles)' : ''}`,
    );
    console.log('| round | process 1 | bookings | CPU µs/booking | p99 ms | process 2 | bookings | CPU µs/booking | p99 ms | failed |');
    console.log('| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  }
  const cells = sides.map((s) => `${s.app} | ${s.bookings} | ${Math.round(perBooking(s.cpuSeconds, s.bookings))} | ${s.p99.toFixed(0)}`);
  console.log(`| ${round} | ${cells.join(' | ')} | ${sides.reduce((n, s) => n + s.failed, 0)} |`);
}

/**
 * CPU per booking with / without, per process (its rounds as "with" against its rounds as
 * "without", so that what one process does more than the other, such as running the projections,
 * cancels out), and the geometric mean of the two processes' ratios (which also cancels a steady
 * drift over the rounds: it favours one process's "with" rounds as much as it penalises the other's).
 */
function printSummary(sides: Side[][]): void {
  const cpu = (list: Side[]) =>
    perBooking(
      list.reduce((n, s) => n + s.cpuSeconds, 0),
      list.reduce((n, s) => n + s.bookings, 0),
    );
  const bookings = (list: Side[]) => list.reduce((n, s) => n + s.bookings, 0);
  const [a, b] = SAME ? ['"with" rounds', '"without" rounds'] : ['with', 'without'];
  console.log(`\n| process | bookings ${a} | bookings ${b} | CPU µs/booking ${a} | CPU µs/booking ${b} | ratio |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const ratios = [0, 1].map((p) => {
    const mine = sides.map((round) => round[p]!);
    const [withSides, withoutSides] = [mine.filter((s) => s.app === 'with'), mine.filter((s) => s.app === 'without')];
    const ratio = cpu(withSides) / cpu(withoutSides);
    console.log(
      `| ${p + 1} | ${bookings(withSides)} | ${bookings(withoutSides)} | ${Math.round(cpu(withSides))} | ${Math.round(cpu(withoutSides))} | ${(100 * ratio).toFixed(1)}% |`,
    );
    return ratio;
  });
  const mean = Math.sqrt(ratios[0]! * ratios[1]!);
  const what = SAME ? 'A/A (the same app in both roles: the noise floor)' : 'with against without';
  console.log(`\nserver CPU per booking, ${what}: ${(100 * mean).toFixed(1)}% (a cost of ${(100 * (mean - 1)).toFixed(1)}%)`);
}

await main();
process.exit(0);
