import type { OversellCheck } from './oversell.js';
import { cores, microsEach, type ThreadKind } from './proc-cpu.js';
import type { SaleTally } from './scenarios/crowd.js';
import type { ReadModelLag } from './settle.js';
import type { LoadStats } from './stats.js';
import { formatWorkers, type WorkerFigures } from './worker-view.js';

export interface RunRow {
  name: string;
  target: string;
  connections: number;
  stats: LoadStats;
  cpu: Record<string, number>;
  /** Per group of processes (server, ...): % of the machine by kind of thread over the window. */
  threads?: Record<string, Record<ThreadKind, number>>;
  oversell?: OversellCheck;
  /** The 1-minute load average at the end of the run: other work on the machine shows here. */
  loadAverage?: string;
  /** Request labels that count as "reads" for p50/p95/p99 when given (else every request). */
  latencyLabels?: string[];
  /** A party sale (best available or hand-picking): refusals, togetherness, orphans. */
  sale?: SaleTally;
  /** The measured window on CLOCK_MONOTONIC, in µs (to cut CPU profiles to it). */
  window?: [number, number];
  /** MySQL runs: how far each projection was behind the log's head as the window's time was up. */
  readModels?: ReadModelLag;
  /** With --settle: how long after the window the projections and reactors took to catch up, and the CPU seconds until then. */
  settled?: { settled: boolean; seconds: number; cpuSeconds: Record<string, number> };
  /** Behind Nginx: each worker's CPU, event-loop lag and counters over the run. */
  workers?: WorkerFigures[];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '–');
const pct = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(0)}%`);

function statuses(stats: LoadStats): string {
  return [...stats.statuses.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
}

/** How stale the read models were as the window ended, the slowest first: what the window's CPU figures do not include yet. */
export function readModelsLine({ head, behind }: ReadModelLag): string {
  const slowest = Object.entries(behind).sort((a, b) => b[1] - a[1]);
  const most = slowest[0]?.[1] ?? 0;
  const named = slowest
    .filter(([, n]) => n > 0)
    .slice(0, 6)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  return `read models as the window's time was up: ${most} positions behind the log's head (${head}) at most${named ? `: ${named}` : ''}`;
}

/** With --settle: the server's CPU a booking until the projections caught up, against the window's alone. */
export function settledLine(
  settled: NonNullable<RunRow['settled']>,
  windowServerPercent: number,
  bookings: number,
  seconds: number,
  cpus = cores,
): string {
  const each = (cpuSeconds: number) => ((cpuSeconds * 1e6) / Math.max(1, bookings)).toFixed(0);
  const window = (windowServerPercent / 100) * cpus * seconds;
  const caughtUp = settled.settled
    ? `caught up ${settled.seconds.toFixed(1)} s after the window`
    : `NOT caught up ${settled.seconds.toFixed(0)} s after it`;
  return `read models ${caughtUp}: server CPU ${each(settled.cpuSeconds.server ?? 0)} µs a booking until then (the window alone ${each(window)})`;
}

/**
 * The server's CPU by kind of thread, as % of the machine and µs a booking: the event loops run
 * onsale's code; V8's helper threads collect garbage and compile, which a V8 CPU profile (main
 * thread only) does not see.
 */
export function serverThreads(shares: Record<ThreadKind, number>, bookings: number, seconds: number, cpus = cores): string {
  const micros = (share: number) => (bookings > 0 ? `, ${microsEach(share, seconds, bookings, cpus).toFixed(0)} µs a booking` : '');
  const part = (label: string, share: number) => `${label} ${share.toFixed(1)}%${micros(share)}`;
  return `server threads (of the machine): ${[
    part('event loops', shares.main),
    part('V8 helpers (garbage collector, compilers)', shares.v8),
    part('libuv pool', shares.libuv),
    part('other', shares.other),
  ].join('; ')}`;
}

/** One markdown table, a row per run: paste it as is into docs/benchmarks.md. */
export function formatTable(rows: RunRow[]): string {
  const header = [
    'run',
    'target',
    'VUs',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'bookings/s',
    'answers by status',
    '5xx',
    'server CPU',
    'DB CPU',
    'Redis CPU',
    'nginx CPU',
    'oversold',
  ];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`];
  for (const row of rows) {
    const { stats, cpu } = row;
    lines.push(
      `| ${[
        row.name,
        row.target,
        row.connections,
        (stats.requests / stats.seconds).toFixed(0),
        ms(stats.percentile(50, row.latencyLabels)),
        ms(stats.percentile(95, row.latencyLabels)),
        ms(stats.percentile(99, row.latencyLabels)),
        (stats.bookings / stats.seconds).toFixed(1),
        statuses(stats),
        stats.serverErrors(),
        pct(cpu.server),
        pct(cpu.database),
        pct(cpu.redis),
        cpu.nginx === undefined ? '–' : pct(cpu.nginx),
        row.oversell ? String(row.oversell.oversold) : '–',
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** The run's opening (every virtual user's first request, new connections, code not yet warm), left out of the steady percentiles. */
const OPENING_MS = 5000;

/** Business answers (409 codes and the like) and notes of the oversell check, under the table. */
export function formatDetails(rows: RunRow[]): string {
  const out: string[] = [];
  for (const row of rows) {
    const { stats } = row;
    const codes = [...stats.codes.entries()].map(([code, n]) => `${code}×${n}`).join(', ');
    const perBooking = (n: number) => (stats.bookings > 0 ? `${(n / stats.bookings).toFixed(2)} a booking` : '');
    const labels = [...stats.latencies.keys()].map((label) => {
      const n = stats.count(label);
      const s = (p: number) => (stats.percentile(p, [label]) / 1000).toFixed(1);
      const time = stats.waits.has(label)
        ? `a wait, not in p50/p95/p99: median ${s(50)} s, p95 ${s(95)} s`
        : `p95 ${ms(stats.percentile(95, [label]))} ms`;
      return `${label} ${n} (${[perBooking(n), time].filter(Boolean).join('; ')})`;
    });
    const total = `${stats.requests} requests${stats.bookings > 0 ? ` (${perBooking(stats.requests)})` : ''}`;
    out.push(`- ${row.name}: ${total}: ${labels.join(', ')}${codes ? `; error codes: ${codes}` : ''}`);
    const steady = [50, 95, 99].map((p) => ms(stats.percentile(p, row.latencyLabels, OPENING_MS)));
    out.push(
      `  - requests sent after the first ${OPENING_MS / 1000} s (the opening burst left out): p50 / p95 / p99 ${steady.join(' / ')} ms`,
    );
    if (stats.statuses.has('cut')) out.push(`  - cut: waits the run's end cut before the server answered (not failures)`);
    const { inTime, late } = stats.admittedRefused;
    if (stats.admissionsHeard > 0) {
      out.push(
        `  - admitted members refused (403 ADMISSION.INVALID on their hold): ${inTime + late} of ${stats.admissionsHeard} admissions heard (${inTime} sent before the lease's end, ${late} after)`,
      );
    }
    if (stats.outcomes.size > 0) {
      out.push(`  - ${[...stats.outcomes.entries()].map(([what, n]) => `${what}×${n}`).join(', ')}`);
    }
    for (const note of row.oversell?.notes ?? []) out.push(`  - ${note}`);
    if (row.oversell) {
      const { soldInReadModel, reservedByMembers, confirmedBefore } = row.oversell;
      const before = confirmedBefore > 0 ? ` (+${confirmedBefore} in the warm-up)` : '';
      out.push(
        `  - sold: ${soldInReadModel ?? '?'} by the show, ${reservedByMembers} in members' reservations, ${row.stats.ticketsBooked} confirmed to clients${before}`,
      );
    }
    out.push(
      `  - machine busy ${(row.cpu.machine ?? 0).toFixed(0)}% (everything on it), load tool ${(row.cpu.load ?? 0).toFixed(0)}%, load average ${row.loadAverage ?? '?'}`,
    );
    const server = row.threads?.server;
    if (server) out.push(`  - ${serverThreads(server, stats.bookings, stats.seconds)}`);
    if (row.readModels) out.push(`  - ${readModelsLine(row.readModels)}`);
    if (row.settled) out.push(`  - ${settledLine(row.settled, row.cpu.server ?? 0, stats.bookings, stats.seconds)}`);
    out.push(...formatWorkers(row.workers ?? []));
  }
  return out.join('\n');
}
