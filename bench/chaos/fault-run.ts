import { BuyerCrowd, type AdmittedStay, type Answer, type Buyer, type SeenConfirm } from './buyers.js';
import { RECOVERY_GOAL_MS } from './fault-report.js';
import type { Fault } from './fault.js';

export interface FaultRunOptions<Target> {
  fault: Fault<Target>;
  target: Target;
  baseUrl: string;
  showId: string;
  seats: string[];
  buyers: Buyer[];
  /** Seconds of buying before the fault, with the fault in place, and after it is healed. */
  beforeSeconds: number;
  faultSeconds: number;
  afterSeconds: number;
  /** A queued show: `slots` buyers at a time go through the waiting room, whose admitted members
   * (leases) `activeLeases` counts in Redis, sampled about every 100 ms. */
  queue?: { slots: number; maxActive: number; activeLeases(): Promise<number> };
}

/** When, in ms since the run started. */
export interface FaultMarks {
  /** When the injection began (a kill lands somewhere inside `inject`: a look-up, a script). */
  injected: number;
  /** When the heal returned; for a fault that heals itself, the injection's start. */
  healed: number;
  ended: number;
}

export interface ProbeAnswer {
  path: '/health/ready' | '/health/live' | 'seat map';
  at: number;
  status: number;
  /** The answer carried `Warning: 110` (a copy from before the fault). */
  stale?: boolean;
}

export interface FaultRun {
  fault: string;
  description: string;
  marks: FaultMarks;
  answers: Answer[];
  confirms: SeenConfirm[];
  /** What a load balancer and a buyer looking at the seat map saw, about every 100 ms. */
  probes: ProbeAnswer[];
  /** Queued show: each admission as buyers saw it, the leases counted in Redis, and the show's maxActive. */
  queue?: { stays: AdmittedStay[]; leases: { at: number; active: number }[]; maxActive: number };
}

/** Buys through `before`, injects the fault, buys through it, heals it and buys through `after`. */
export async function runFault<Target>(options: FaultRunOptions<Target>): Promise<FaultRun> {
  return sliceKill(await runFaults({ ...options, faults: [options.fault] }), 0);
}

/** One sale with several faults, one at a time: the crowd buys throughout. */
export interface SaleRun extends Omit<FaultRun, 'fault' | 'description' | 'marks'> {
  /** Each fault in order. */
  kills: { fault: string; description: string; marks: FaultMarks }[];
}

/**
 * One sale, one crowd: buys through `before`, then for each fault in turn injects it, buys through
 * `faultSeconds`, heals it and buys through `afterSeconds` (the next fault's "before").
 */
export async function runFaults<Target>(options: Omit<FaultRunOptions<Target>, 'fault'> & { faults: Fault<Target>[] }): Promise<SaleRun> {
  const startedAt = performance.now();
  const clock = () => performance.now() - startedAt;
  const crowd = new BuyerCrowd({ ...options, startedAt });
  const probing = probe(options.baseUrl, `/api/shows/${options.showId}/seats`, clock);
  const counting = options.queue && countLeases(options.queue.activeLeases, clock);
  crowd.start();
  const kills: SaleRun['kills'] = [];
  try {
    await sleep(options.beforeSeconds * 1000);
    for (const fault of options.faults) {
      const marks = { injected: clock(), healed: NaN, ended: NaN };
      kills.push({ fault: fault.name, description: fault.description, marks });
      await fault.inject(options.target);
      await sleep(options.faultSeconds * 1000);
      await fault.heal(options.target);
      marks.healed = fault.selfHealing ? marks.injected : clock();
      await sleep(options.afterSeconds * 1000);
      marks.ended = clock();
    }
  } finally {
    await crowd.stop();
  }
  const probes = await probing.stop();
  const leases = (await counting?.stop()) ?? [];
  return {
    kills,
    answers: crowd.answers,
    confirms: crowd.confirms,
    probes,
    queue: options.queue && { stays: crowd.stays, leases, maxActive: options.queue.maxActive },
  };
}

/**
 * Fault `k`'s stretch of the sale as a run of its own, its times from the stretch's start: from the
 * end of the previous fault's window (the sale's start for the first) to the next fault's injection
 * (the sale's end for the last), so that one fault's "after" is the next one's "before". An answer
 * belongs to it when it was sent and answered within the stretch, or in flight at any moment of the
 * fault's window (a request in flight at two kills counts in both). Admissions are cut at the edges.
 */
export function sliceKill(sale: SaleRun, k: number): FaultRun & { offset: number } {
  const { fault, description, marks } = sale.kills[k]!;
  const previous = sale.kills[k - 1]?.marks;
  const from = previous ? Math.min(previous.healed + RECOVERY_GOAL_MS, marks.injected) : 0;
  const to = sale.kills[k + 1]?.marks.injected ?? Infinity;
  const windowEnd = marks.healed + RECOVERY_GOAL_MS;
  const inside = (at: number) => at >= from && at < to;
  const belongs = (a: Answer) => (a.at - a.ms >= from && a.at < to) || (a.at >= marks.injected && a.at - a.ms < windowEnd);
  const shift = <T extends { at: number }>(item: T): T => ({ ...item, at: item.at - from });
  return {
    offset: from,
    fault,
    description,
    marks: { injected: marks.injected - from, healed: marks.healed - from, ended: Math.min(marks.ended, to) - from },
    answers: sale.answers.filter(belongs).map(shift),
    confirms: sale.confirms.filter((c) => inside(c.at)).map(shift),
    probes: sale.probes.filter((p) => inside(p.at)).map(shift),
    queue: sale.queue && {
      stays: sale.queue.stays
        .filter((s) => s.to > from && s.from < to)
        .map((s) => ({ ...s, from: Math.max(s.from, from) - from, to: Math.min(s.to, to) - from })),
      leases: sale.queue.leases.filter((s) => inside(s.at)).map(shift),
      maxActive: sale.queue.maxActive,
    },
  };
}

/** The show's leases in Redis, about every 100 ms (a sample that fails, in a failover, is skipped). */
function countLeases(count: () => Promise<number>, clock: () => number) {
  const samples: { at: number; active: number }[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const active = await count().catch(() => undefined);
      if (active !== undefined) samples.push({ at: clock(), active });
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      return samples;
    },
  };
}

/** What a load balancer (readiness, liveness) and a buyer looking at the seat map see, in turn. */
function probe(baseUrl: string, seatMap: string, clock: () => number) {
  const probes: ProbeAnswer[] = [];
  let stopped = false;
  const targets = [
    ['/health/ready', '/health/ready'],
    ['/health/live', '/health/live'],
    ['seat map', seatMap],
  ] as const;
  // one loop per target, so that a slow answer of one does not space out the others
  const loop = async (path: ProbeAnswer['path'], url: string) => {
    while (!stopped) {
      const answer = await fetch(baseUrl + url, { signal: AbortSignal.timeout(10_000) }).then(
        async (response) => (await response.arrayBuffer(), { status: response.status, stale: response.headers.has('warning') }),
        () => ({ status: 0, stale: false }),
      );
      probes.push({ path, at: clock(), ...answer });
      await sleep(100);
    }
  };
  const running = Promise.all(targets.map(([path, url]) => loop(path, url)));
  return {
    stop: async () => {
      stopped = true;
      await running;
      return probes;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
