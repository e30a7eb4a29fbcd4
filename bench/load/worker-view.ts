import { byThreadKind, cpuSecondsOf, listenerPids, threadSecondsOf, type ThreadKind } from './proc-cpu.js';

/** What one worker did in a run: its CPU, its event loop's lag, and its own counters. */
export interface WorkerFigures {
  ports: number[];
  pid: number;
  /** A waiting-room process (WAITING_ROOM_WORKERS), not a worker. */
  waitingRoom?: boolean;
  /** % of one core over the run. */
  cpu: number;
  /** The same by kind of thread: the event loop, V8's helpers (garbage collector, compilers), libuv's pool. */
  threads: Record<ThreadKind, number>;
  /** Event-loop delay over the run (prom-client resets its histogram at each scrape), ms. */
  lagP50: number;
  lagP99: number;
  lagMax: number;
  requests: number;
  batches: number;
  conflicts: number;
  gcSeconds: number;
}

const COUNTERS = {
  requests: 'onsale_http_requests_total',
  batches: 'onsale_booking_batches_total',
  conflicts: 'onsale_booking_conflicts_total',
  gcSeconds: 'nodejs_gc_duration_seconds_sum',
} as const;

/** The sum of every series of a metric in a Prometheus text exposition. */
export function metricSum(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/** The process listening on a worker's port, or undefined (none, or `ss` missing). */
function listenerPid(port: number): number | undefined {
  try {
    return listenerPids(port)[0];
  } catch {
    return undefined;
  }
}

async function scrape(port: number): Promise<string> {
  try {
    const answer = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
    return answer.ok ? await answer.text() : '';
  } catch {
    return '';
  }
}

/**
 * Each worker seen on its own ports (WORKER_PORT_BASE): which of two equally fed workers was slow,
 * and whether it was busier (CPU), held up (event-loop lag) or doing more (conflicts, GC).
 */
export class WorkerView {
  private before: Array<{ ports: number[]; pid: number; slot: number; cpu: number; threads: Record<ThreadKind, number>; text: string }> =
    [];
  private startedAt = 0;

  /** `workers`: the slots before the waiting room's (all of them by default). */
  constructor(
    private readonly portsBySlot: number[][],
    private readonly workers = portsBySlot.length,
  ) {}

  async start(): Promise<void> {
    this.startedAt = performance.now();
    this.before = [];
    for (const [slot, ports] of this.portsBySlot.entries()) {
      const pid = listenerPid(ports[0]!);
      if (pid === undefined) continue;
      this.before.push({ ports, pid, slot, cpu: cpuSecondsOf(pid), threads: threadSecondsOf(pid), text: await scrape(ports[0]!) });
    }
  }

  async stop(): Promise<WorkerFigures[]> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const figures: WorkerFigures[] = [];
    for (const { ports, pid, slot, cpu, threads, text } of this.before) {
      const threadsNow = threadSecondsOf(pid);
      const after = await scrape(ports[0]!);
      const delta = (name: string) => metricSum(after, name) - metricSum(text, name);
      figures.push({
        ports,
        pid,
        ...(slot >= this.workers ? { waitingRoom: true } : {}),
        cpu: (100 * (cpuSecondsOf(pid) - cpu)) / seconds,
        threads: byThreadKind((kind) => (100 * (threadsNow[kind] - threads[kind])) / seconds),
        lagP50: metricSum(after, 'nodejs_eventloop_lag_p50_seconds') * 1000,
        lagP99: metricSum(after, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        lagMax: metricSum(after, 'nodejs_eventloop_lag_max_seconds') * 1000,
        requests: delta(COUNTERS.requests),
        batches: delta(COUNTERS.batches),
        conflicts: delta(COUNTERS.conflicts),
        gcSeconds: delta(COUNTERS.gcSeconds),
      });
    }
    return figures;
  }
}

/** Lines under a run's details: one per worker. */
export function formatWorkers(figures: WorkerFigures[]): string[] {
  return figures.map(
    (w) =>
      `  - ${w.waitingRoom ? 'waiting-room process' : 'worker'} pid ${w.pid} (ports ${w.ports[0]}–${w.ports.at(-1)}): CPU ${w.cpu.toFixed(0)}% of a core ` +
      `(event loop ${w.threads.main.toFixed(0)}, V8 helpers ${w.threads.v8.toFixed(0)}, libuv ${w.threads.libuv.toFixed(0)}), ` +
      `event-loop lag p50 ${w.lagP50.toFixed(0)} / p99 ${w.lagP99.toFixed(0)} / max ${w.lagMax.toFixed(0)} ms, ` +
      `${w.requests} requests, ${w.batches} booking appends, ${w.conflicts} conflicts, GC ${w.gcSeconds.toFixed(2)} s`,
  );
}
