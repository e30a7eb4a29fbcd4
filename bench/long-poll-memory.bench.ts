import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../tests/support/free-port.js';
import { latestSample, needOpenFiles, sleep, stop, until } from './held-connections.js';

/**
 * `npm run bench:long-poll-memory`: what a held long poll (`GET …/queue` with `Prefer: wait=30`)
 * costs the server in memory, served through Koa and served hot (before Koa, as the server does).
 * `BENCH_POLLS` (5,000) members join from another process on a connection each, then long-poll
 * on it; the table gives the server's RSS and JS heap (after a full GC) per member, with the
 * connections joined and idle, and once every long poll is held. The real app on SQLite + Redis
 * (`BENCH_REDIS_URL`), the access token trusted as it comes. `BENCH_ROUNDS` (2) alternates the two (`BENCH_MODES=hot`: one row).
 */
const POLLS = Number(process.env.BENCH_POLLS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** `BENCH_MODES=hot`: the rows to measure, in this order each round (koa,hot). */
const MODES = (process.env.BENCH_MODES ?? 'koa,hot').split(',');
/** `BENCH_AT_ONCE=1`: each member long-polls as soon as its join is answered (then "joined, idle" is taken with the polls already held). */
const AT_ONCE = process.env.BENCH_AT_ONCE === '1';
const SNAPSHOTS = process.env.BENCH_SNAPSHOTS;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const here = import.meta.dirname;
type Sample = { holding: number; rss: number; heapUsed: number };
type Figures = { idleRss: number; idleHeap: number; pollRss: number; pollHeap: number };

async function measure(mode: string): Promise<Figures> {
  const port = await freePort();
  const showId = `bench-${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'onsale-long-poll-memory-'));
  const server = fork(path.join(here, 'long-poll-memory/server.ts'), [mode, String(port), showId], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, DATA_DIR: dataDir, REDIS_URL, LOG_LEVEL: 'silent', ADMISSION_KEYS: '' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const latest = latestSample<Sample>(server);
  try {
    await until(latest, 'the server to start', 30_000);
    await sleep(2000); // settle after start-up
    const before = latest()!;
    const pollers = fork(
      path.join(here, 'long-poll-memory/pollers.ts'),
      [String(port), String(POLLS), showId, ...(AT_ONCE ? ['at-once'] : [])],
      {
        execArgv: ['--import', 'tsx'],
      },
    );
    try {
      let joined = false;
      pollers.once('message', () => (joined = true));
      await until(() => joined || undefined, `${POLLS} joins`, 120_000);
      await sleep(2000);
      const idle = latest()!;
      await snapshot(server, `${mode}-idle`);
      pollers.send('poll');
      // all but the odd one admitted (one place, a slow rate) or not yet parsed on a loaded box
      await until(() => (latest()!.holding >= POLLS * 0.99 ? latest() : undefined), `${POLLS} long polls held`, 120_000);
      await sleep(2000);
      const polling = latest()!;
      await snapshot(server, `${mode}-polling`);
      const per = (a: number, b: number) => (a - b) / POLLS;
      return {
        idleRss: per(idle.rss, before.rss),
        idleHeap: per(idle.heapUsed, before.heapUsed),
        pollRss: per(polling.rss, before.rss),
        pollHeap: per(polling.heapUsed, before.heapUsed),
      };
    } finally {
      stop(pollers);
    }
  } finally {
    stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** With BENCH_SNAPSHOTS=<dir>: a heap snapshot of the server there (compare the two by constructor). */
async function snapshot(server: ChildProcess, name: string): Promise<void> {
  if (!SNAPSHOTS) return;
  server.send(path.join(SNAPSHOTS, `${name}.heapsnapshot`));
  await new Promise((resolve) => server.once('message', resolve));
}

async function main(): Promise<void> {
  needOpenFiles(POLLS, 'BENCH_POLLS');
  const rows: [string, Figures, number][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) rows.push([mode, await measure(mode), loadavg()[0]!]);
  }
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(`\n${POLLS} members joined, then each long-polling on its connection${AT_ONCE ? ' as soon as its join is answered' : ''}\n`);
  console.log('| served | joined, idle: RSS / heap per member | long poll held: RSS / heap per member | load average |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [mode, f, load] of rows) {
    const label = mode === 'hot' ? 'hot (before Koa)' : 'through Koa';
    console.log(`| ${label} | ${kb(f.idleRss)} / ${kb(f.idleHeap)} KB | ${kb(f.pollRss)} / ${kb(f.pollHeap)} KB | ${load.toFixed(1)} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
