import 'reflect-metadata';
import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { cpus } from 'node:os';
import type { DependencyContainer } from 'tsyringe';
import { MemberStream } from '../src/application/members/member-stream.js';
import type { PersonalDataVault } from '../src/application/members/members.ports.js';
import type { ProjectionWaiter } from '../src/application/ports/projection-waiter.js';
import { TOKENS } from '../src/application/tokens.js';
import { memberDecider } from '../src/domain/members/member.decider.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import { SCRYPT_COST } from '../src/infrastructure/members/scrypt-password-hasher.js';
import { startServer } from '../src/infrastructure/server.js';
import { createTestDatabase } from '../tests/support/services.js';
import { tempDataDir } from '../tests/support/temp-dir.js';

// Sign-ups/s and log-ins/s over HTTP at the production scrypt cost, beside the bare scrypt rate.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const only = process.env.BENCH_ONLY?.split(',');
const PASSWORD = 'correct horse battery';

interface Row {
  mode: string;
  what: string;
  ops: number;
  seconds: number;
  p50?: number;
  p99?: number;
}

/** Runs `concurrency` loops of `step` for SECONDS; counts successes and their latencies. */
async function measure(step: (worker: number, i: number) => Promise<boolean>, concurrency = CONCURRENCY) {
  const until = performance.now() + SECONDS * 1000;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < until; i++) {
        const t = performance.now();
        if (await step(worker, i)) latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { ops: latencies.length, seconds: (performance.now() - started) / 1000, p50: pick(0.5), p99: pick(0.99) };
}

function bareScrypt(): Promise<void> {
  const { N, r, p } = SCRYPT_COST;
  return new Promise((resolve, reject) =>
    scrypt(PASSWORD, randomBytes(16), 32, { N, r, p, maxmem: 256 * N * r }, (error) => (error ? reject(error) : resolve())),
  );
}

async function baselineRows(): Promise<Row[]> {
  const serial = await measure(async () => (await bareScrypt(), true), 1);
  const pool = await measure(async () => (await bareScrypt(), true), CONCURRENCY);
  return [
    { mode: 'bare scrypt', what: 'hashes, one at a time', ...serial },
    { mode: 'bare scrypt', what: `hashes, ${CONCURRENCY} in flight`, ...pool },
  ];
}

async function httpRows(mode: string, env: Record<string, string>): Promise<Row[]> {
  const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', TRUST_PROXY_HOPS: '1', LOG_LEVEL: 'warn', ...env }));
  const base = `http://127.0.0.1:${server.port}`;
  const post = (path: string, body: unknown, ip: string) =>
    fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
  const prefix = randomBytes(4).toString('hex');
  const emails: string[] = [];
  const tokens: string[] = [];
  try {
    const signUps = await measure(async (worker, i) => {
      const email = `bench-${prefix}-${worker}-${i}@example.org`;
      const response = await post('/api/members', { email, password: PASSWORD, name: `Bench ${worker}-${i}` }, '10.0.0.1');
      await response.arrayBuffer();
      if (response.status === 201) emails.push(email);
      return response.status === 201;
    });
    const logIns = await measure(async (worker, i) => {
      const email = emails[(worker * 7919 + i) % emails.length]!;
      const response = await post('/api/auth/login', { email, password: PASSWORD }, '10.0.0.2');
      const body = (await response.json()) as { accessToken?: string };
      if (body.accessToken && tokens.length < 1000) tokens.push(body.accessToken);
      return response.status === 200;
    });
    const reads = await measure(async (worker, i) => {
      const token = tokens[(worker + i) % tokens.length]!;
      const response = await fetch(`${base}/api/members/me`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      return response.status === 200;
    });
    const withoutHash = await signUpsWithoutHash(server.container, prefix);
    return [
      { mode, what: 'sign-up minus hash and HTTP (key, append, wait)', ...withoutHash },
      { mode, what: 'POST /api/members (sign-ups)', ...signUps },
      { mode, what: 'POST /api/auth/login (log-ins)', ...logIns },
      { mode, what: 'GET /api/members/me (token check + read)', ...reads },
    ];
  } finally {
    await server.close();
  }
}

/** What a sign-up costs besides the hash and HTTP: key row, append with the claim, read-model wait. */
function signUpsWithoutHash(container: DependencyContainer, prefix: string) {
  const vault = container.resolve<PersonalDataVault>(TOKENS.PersonalDataVault);
  const stream = container.resolve(MemberStream);
  const waiter = container.resolve<ProjectionWaiter>(TOKENS.ProjectionWaiter);
  return measure(async (worker, i) => {
    const memberId = randomUUID();
    const email = `nohash-${prefix}-${worker}-${i}@example.org`;
    const events = memberDecider.decide(
      { type: 'SignUp', data: { memberId, email, name: 'No Hash', passwordHash: 'not-a-hash' }, metadata: { now: new Date() } },
      memberDecider.initialState(),
    );
    await vault.createKey(memberId);
    const position = await stream.append(memberId, events, 'no_stream', { claims: [{ scope: 'member-email', value: email }] });
    return waiter.waitFor('members', position, 5000);
  });
}

function print(rows: Row[]): void {
  const header = ['mode', 'operation', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p99 ms'];
  const lines = rows.map((row) => [
    row.mode,
    row.what,
    String(row.ops),
    row.seconds.toFixed(1),
    (row.ops / row.seconds).toFixed(1),
    row.p50?.toFixed(1) ?? '',
    row.p99?.toFixed(1) ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(format(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const { N, r, p } = SCRYPT_COST;
  console.log(`scrypt N=${N} r=${r} p=${p}; ${cpus().length} CPUs; UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}`);
  console.log(`${SECONDS} s per row, ${CONCURRENCY} concurrent clients in the same process as the server\n`);
  const rows: Row[] = [];
  if (!only || only.includes('bare')) rows.push(...(await baselineRows()));
  if (!only || only.includes('mariadb')) {
    const database = await createTestDatabase('onsale_bench_members');
    try {
      rows.push(...(await httpRows('MariaDB + Redis', { MYSQL_URL: database.url, REDIS_URL })));
    } finally {
      await database.drop();
    }
  }
  if (!only || only.includes('sqlite')) {
    const data = tempDataDir();
    try {
      rows.push(...(await httpRows('embedded SQLite', { DATA_DIR: data.dir })));
    } finally {
      data.remove();
    }
  }
  print(rows);
}

await main();
process.exit(0);
