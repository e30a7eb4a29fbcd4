import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
export const cores = availableParallelism();

/** A process and every descendant (cluster workers, nginx workers). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    try {
      const children = execFileSync('pgrep', ['-P', String(all[i])], { encoding: 'utf8' }).trim();
      if (children) all.push(...children.split('\n').map(Number));
    } catch {
      // no children
    }
  }
  return all;
}

export function pidsNamed(name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The processes holding the listening socket of a TCP port of this machine (from `ss`). */
export function listenerPids(port: number): number[] {
  const out = execFileSync('ss', ['-Htlnp', `sport = :${port}`], { encoding: 'utf8' });
  return [...new Set([...out.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1])))].sort();
}

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const { user, system } = procStat(`/proc/${pid}/stat`);
    return user + system;
  } catch {
    return 0;
  }
}

/**
 * A process's or thread's `stat` file: its command name, its user and system CPU seconds so far
 * (utime and stime, fields 14 and 15, 1-based, of the whole line; counted after the ")" that ends
 * the name, which may hold spaces) and its nice value (field 19). Throws when it is gone.
 */
export function procStat(path: string): { name: string; user: number; system: number; nice: number } {
  const stat = readFileSync(path, 'utf8');
  const end = stat.lastIndexOf(')');
  const fields = stat.slice(end + 2).split(' ');
  return {
    name: stat.slice(stat.indexOf('(') + 1, end),
    user: Number(fields[11]) / TICKS_PER_SECOND,
    system: Number(fields[12]) / TICKS_PER_SECOND,
    nice: Number(fields[16]),
  };
}

/** The whole machine's busy CPU seconds so far (every process's, other users' too). */
export function machineBusySeconds(): number {
  return machineTicks().busy / TICKS_PER_SECOND;
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** CPU used by groups of processes between start() and stop(), and by the whole machine ("machine"). */
export class CpuSampler {
  private readonly before = new Map<number, number>();
  private startedAt = 0;
  private machineBefore = { busy: 0, total: 0 };

  constructor(private readonly groups: Record<string, () => number[]>) {}

  start(): void {
    this.startedAt = performance.now();
    this.machineBefore = machineTicks();
    for (const pids of Object.values(this.groups)) for (const pid of pids()) this.before.set(pid, cpuSecondsOf(pid));
  }

  /** Per group: CPU seconds used since start(), as far as now. */
  cpuSeconds(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      let seconds = 0;
      for (const pid of pids()) seconds += cpuSecondsOf(pid) - (this.before.get(pid) ?? 0);
      result[name] = seconds;
    }
    return result;
  }

  /** Per group: % of the whole machine (100 = every core busy). Processes that started late count from 0. */
  stop(): Record<string, number> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const machine = machineTicks();
    const result: Record<string, number> = {
      machine: (100 * (machine.busy - this.machineBefore.busy)) / Math.max(1, machine.total - this.machineBefore.total),
    };
    for (const [name, used] of Object.entries(this.cpuSeconds())) result[name] = (100 * used) / seconds / cores;
    return result;
  }
}
