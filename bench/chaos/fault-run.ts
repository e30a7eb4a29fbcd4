import { BuyerCrowd, type AdmittedStay, type Answer, type Buyer, type SeenConfirm } from './buyers.js';
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
  injected: number;
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
  const startedAt = performance.now();
  const clock = () => performance.now() - startedAt;
  const crowd = new BuyerCrowd({ ...options, startedAt });
  const probing = probe(options.baseUrl, `/api/shows/${options.showId}/seats`, clock);
  const counting = options.queue && countLeases(options.queue.activeLeases, clock);
  crowd.start();
  const marks: FaultMarks = { injected: NaN, healed: NaN, ended: NaN };
  try {
    await sleep(options.beforeSeconds * 1000);
    await options.fault.inject(options.target);
    marks.injected = clock();
    await sleep(options.faultSeconds * 1000);
    await options.fault.heal(options.target);
    marks.healed = clock();
    await sleep(options.afterSeconds * 1000);
    marks.ended = clock();
  } finally {
    await crowd.stop();
  }
  const probes = await probing.stop();
  const leases = (await counting?.stop()) ?? [];
  return {
    fault: options.fault.name,
    description: options.fault.description,
    marks,
    answers: crowd.answers,
    confirms: crowd.confirms,
    probes,
    queue: options.queue && { stays: crowd.stays, leases, maxActive: options.queue.maxActive },
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
