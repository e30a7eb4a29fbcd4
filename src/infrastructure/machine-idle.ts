import { cpus } from 'node:os';

/** Idle and total CPU time of every core so far (ms), from the operating system. */
export interface CpuTimes {
  idle: number;
  total: number;
}

export function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/**
 * The share of the machine's CPU that was idle since `from` (0–1): background work asks it before
 * taking more, so that it yields to the requests a sale brings. 1 when no time has passed.
 */
export function idleShareSince(from: CpuTimes, now: CpuTimes = cpuTimes()): number {
  const total = now.total - from.total;
  return total > 0 ? (now.idle - from.idle) / total : 1;
}
