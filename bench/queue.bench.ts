import 'reflect-metadata';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { seedSale } from '../src/infrastructure/cli/seed.command.js';
import { loadConfig } from '../src/infrastructure/config/config.js';

// npm run bench:queue — joins/s and status polls/s over HTTP beside a bare Koa route, one run.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2000);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const dataDir = mkdtempSync(path.join(tmpdir(), 'onsale-bench-queue-'));
const database = `onsale_bench_queue_${randomBytes(3).toString('hex')}`;
const env = {
  ...process.env,
  MYSQL_URL: `${MYSQL_URL.replace(/\/$/, '')}/${database}`,
  REDIS_URL,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  BENCH_SHOW: `bench-${randomBytes(4).toString('hex')}`,
};

console.log(`seeding ${MEMBERS} members…`);
const seeded = await seedSale(loadConfig(env), { members: MEMBERS, shows: [] });
const tokens = seeded.members.map((m) => `Bearer ${m.accessToken}`);

const child = spawn(
  process.execPath,
  [...(process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', 'bench/queue-bench.server.ts'],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const ports = await new Promise<{
  cpu: number;
  app: number;
  koaOnly: number;
  appTrusting: number;
  bare: number;
  bareNode: number;
  authOnly: number;
}>((resolve) => {
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
});

interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
}
// autocannon's `requests` option is missing from the types in bench/load/autocannon.d.ts
type Options = Parameters<typeof autocannon>[0] & { requests?: { setupRequest: (request: RawRequest) => RawRequest }[] };

/** Every request takes the next member's token, so joins are first joins until everyone is in. */
function rotating(method: string, url: string): Options {
  let next = 0;
  return {
    url,
    method,
    requests: [
      {
        setupRequest: (request: RawRequest) => ({
          ...request,
          method,
          headers: { ...request.headers, authorization: tokens[next++ % tokens.length]! },
        }),
      },
    ],
  };
}

const runs: { name: string; options: Options }[] = [
  { name: 'bare Koa route (yardstick)', options: { url: `http://127.0.0.1:${ports.bare}/` } },
  { name: 'bare node:http route (no Koa)', options: { url: `http://127.0.0.1:${ports.bareNode}/` } },
  { name: 'GET /health/live through the full app', options: { url: `http://127.0.0.1:${ports.app}/health/live` } },
  { name: 'access token check only', options: rotating('GET', `http://127.0.0.1:${ports.authOnly}/`) },
  {
    name: 'POST /api/shows/:id/queue (join)',
    options: rotating('POST', `http://127.0.0.1:${ports.app}/api/shows/${env.BENCH_SHOW}/queue`),
  },
  { name: 'GET /api/shows/:id/queue (poll)', options: rotating('GET', `http://127.0.0.1:${ports.app}/api/shows/${env.BENCH_SHOW}/queue`) },
  {
    name: 'poll through Koa (no hot routes)',
    options: rotating('GET', `http://127.0.0.1:${ports.koaOnly}/api/shows/${env.BENCH_SHOW}/queue`),
  },
  {
    name: 'poll, access token check memoised',
    options: rotating('GET', `http://127.0.0.1:${ports.appTrusting}/api/shows/${env.BENCH_SHOW}/queue`),
  },
];

// BENCH_ONLY=poll,bare (words matched against the row names; the bare row always runs): a quick sitting
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((w) => w.trim().toLowerCase())
  .filter(Boolean);
const chosen = runs.filter((run, i) => i === 0 || only.length === 0 || only.some((w) => run.name.toLowerCase().includes(w)));
if (!chosen.some((run) => run.name.includes('(join)'))) {
  // the polls need places: everyone joins once, untimed
  const joinUrl = `http://127.0.0.1:${ports.app}/api/shows/${env.BENCH_SHOW}/queue`;
  for (let i = 0; i < tokens.length; i += CONNECTIONS) {
    await Promise.all(
      tokens.slice(i, i + CONNECTIONS).map((authorization) => fetch(joinUrl, { method: 'POST', headers: { authorization } })),
    );
  }
}
// untimed, the poll rows' code warmed up first: otherwise the first of them pays the JIT for the next
for (const run of chosen.filter((r) => r.name.includes('poll'))) {
  await autocannon({ connections: CONNECTIONS, duration: 3, ...run.options } as Parameters<typeof autocannon>[0]);
}
const serverCpu = async () => (await (await fetch(`http://127.0.0.1:${ports.cpu}/`)).json()) as { micros: number; user: number };
const rows = [];
for (const run of chosen) {
  const before = await serverCpu();
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...run.options } as Parameters<typeof autocannon>[0]);
  const after = await serverCpu();
  const requests = Math.max(1, result.requests.total);
  rows.push({
    name: run.name,
    result,
    cpuPerRequest: (after.micros - before.micros) / requests,
    userPerRequest: (after.user - before.user) / requests,
  });
}
const bare = rows[0]!.result.requests.average;
const bareCpu = rows[0]!.cpuPerRequest;
console.log(
  `\nbench:queue — ${SECONDS} s per row, ${CONNECTIONS} connections, ${MEMBERS} members; ${cpus().length} cores shared by autocannon and one server process`,
);
// "CPU vs bare": the bare route's server CPU per request over this row's (what the rate would be with the CPU to itself);
// "user µs": the part in user space (the app's own work; the kernel's share, mostly the socket writes, swings with the machine's load)
console.log('| route | req/s | vs bare | p50 ms | p99 ms | non-2xx | errors | server CPU µs/req | CPU vs bare | user µs/req |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { name, result, cpuPerRequest, userPerRequest } of rows) {
  const rate = result.requests.average;
  console.log(
    `| ${name} | ${Math.round(rate)} | ${(rate / bare).toFixed(2)} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} | ${result.errors + result.timeouts} | ${Math.round(cpuPerRequest)} | ${(bareCpu / cpuPerRequest).toFixed(2)} | ${Math.round(userPerRequest)} |`,
  );
}

child.kill('SIGTERM');
const { default: knex } = await import('knex');
const admin = knex({ client: 'mysql2', connection: MYSQL_URL });
await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
await admin.destroy();
rmSync(dataDir, { recursive: true, force: true });
