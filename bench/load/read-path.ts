import { CpuSampler, processTree } from './proc-cpu.js';
import { freePort } from '../../tests/support/free-port.js';
import { startNode } from './processes.js';
import { prepareTarget, type TargetOptions } from './target.js';
import { routeRate, routeTool } from './route-rate.js';

interface Measured {
  route: string;
  server: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failed: number;
  cpu: number;
}

/**
 * The read path against the least a Koa route can do, in one run on one machine: a bare Koa app
 * (as many workers as the server), onsale's liveness route, one show, and the cached seat map.
 */
export async function readPath(options: TargetOptions, seconds: number, connections: number): Promise<string> {
  const bare = await startNode('bench/load/bare-koa.ts', { WORKERS: String(options.workers) }, await freePort(), '/');
  const target = await prepareTarget(options);
  const rows: Measured[] = [];
  try {
    const show = target.seed.shows[0]!;
    for (let i = 0; i < 20; i++) await fetch(`${target.url}/api/shows/${show.id}/seats`);
    const bareTree = () => processTree(bare.pid);
    rows.push(await measure('bare Koa: GET / → {status}', 'bare Koa', `${bare.url}/`, bareTree, seconds, connections));
    const serverTree = target.cpuGroups.server!;
    rows.push(await measure('onsale: GET /health/live', 'onsale', `${target.url}/health/live`, serverTree, seconds, connections));
    rows.push(
      await measure('onsale: GET /api/shows/:id', 'onsale', `${target.url}/api/shows/${show.id}`, serverTree, seconds, connections),
    );
    rows.push(
      await measure(
        `onsale: GET /api/shows/:id/seats (${show.capacity} seats)`,
        'onsale',
        `${target.url}/api/shows/${show.id}/seats`,
        serverTree,
        seconds,
        connections,
      ),
    );
  } finally {
    await target.stop();
    await bare.stop();
  }
  return format(rows, connections, options.workers);
}

async function measure(
  route: string,
  server: string,
  url: string,
  pids: () => number[],
  seconds: number,
  connections: number,
): Promise<Measured> {
  console.error(`[load] ${route}: ${connections} connections for ${seconds} s`);
  const cpu = new CpuSampler({ server: pids });
  cpu.start();
  const measured = await routeRate(url, connections, seconds);
  return { route, server, ...measured, cpu: cpu.stop().server ?? 0 };
}

function format(rows: Measured[], connections: number, workers: number): string {
  const bare = rows[0]!.requestsPerSecond;
  const lines = [
    `${routeTool}, ${connections} connections, ${workers} worker(s) for each server`,
    '',
    '| route | req/s | p50 ms | p99 ms | failed | % of bare Koa | server CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.route} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.failed} | ${((100 * row.requestsPerSecond) / bare).toFixed(0)}% | ${row.cpu.toFixed(0)}% |`,
    );
  }
  return lines.join('\n');
}
