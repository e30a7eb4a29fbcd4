import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { freePort } from '../tests/support/free-port.js';
import { latestSample, needOpenFiles, sleep, stop, until } from './held-connections.js';

/**
 * `npm run bench:connection-memory`: what one held event stream costs a server process in memory,
 * by stack: a bare `net` listener (the yardstick), `node:http`, Koa, and `node:http` handing the
 * socket over on an HTTP Upgrade (onsale's streams behind Nginx). Each holder gets
 * `BENCH_STREAMS` (5,000) streams from a separate process; the table is RSS and JS heap growth per
 * stream once all are open. It bounds what any server built on that stack can reach per waiting
 * member (issue 20 asks for ≤ 16 KB). `BENCH_MODES=net,http,parked`: those rows alone (net first: the yardstick).
 */
const STREAMS = Number(process.env.BENCH_STREAMS ?? 5_000);
const here = import.meta.dirname;
type Sample = { streams: number; rss: number; heapUsed: number; external: number };

async function measure(mode: string): Promise<{ rss: number; heap: number }> {
  const port = await freePort();
  const holder = fork(path.join(here, 'connection-memory/holder.ts'), [mode, String(port)], {
    execArgv: ['--import', 'tsx'],
    stdio: 'pipe',
  });
  const latest = latestSample<Sample>(holder);
  try {
    await until(latest, 'the holder to start', 20_000);
    await sleep(1000); // settle after start-up
    const before = latest()!;
    const openers = fork(
      path.join(here, 'connection-memory/openers.ts'),
      [String(port), String(STREAMS), mode === 'upgrade' ? 'upgrade' : 'plain'],
      {
        execArgv: ['--import', 'tsx'],
      },
    );
    try {
      await until(() => (latest()!.streams >= STREAMS ? latest() : undefined), `${STREAMS} streams on ${mode}`, 60_000);
      await sleep(2000); // a GC or two: what stays
      const after = latest()!;
      return { rss: (after.rss - before.rss) / STREAMS, heap: (after.heapUsed - before.heapUsed) / STREAMS };
    } finally {
      stop(openers);
    }
  } finally {
    stop(holder);
  }
}

async function main(): Promise<void> {
  needOpenFiles(STREAMS, 'BENCH_STREAMS');
  const rows: [string, { rss: number; heap: number }][] = [];
  for (const [label, mode] of [
    ['bare `net` listener (yardstick)', 'net'],
    ['`node:http`', 'http'],
    ['Koa on `node:http`', 'koa'],
    ['`node:http`, socket handed over on `Upgrade: onsale-events`', 'upgrade'],
    ['`node:http`, connection parked as a long poll (parked-poll.ts)', 'parked'],
  ].filter(([, mode]) => !process.env.BENCH_MODES || process.env.BENCH_MODES.split(',').includes(mode!))) {
    rows.push([label!, await measure(mode!)]);
  }
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const bare = rows[0]![1].rss;
  console.log(`\n${STREAMS} event streams held, load average ${loadavg()[0]!.toFixed(1)}\n`);
  console.log('| stack | RSS per stream | vs bare | JS heap per stream |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [label, { rss, heap }] of rows) console.log(`| ${label} | ${kb(rss)} KB | ${(rss / bare).toFixed(2)}× | ${kb(heap)} KB |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
