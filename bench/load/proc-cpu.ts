import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * A Node process's threads by what they do, from their names: the event loop (`MainThread`, or
 * the process's own name), V8's helpers (`V8Worker`: the garbage collector's parallel and
 * concurrent work, the optimising compilers), libuv's pool (`libuv-worker`: crypto, fs, DNS),
 * and the rest (the inspector's, the delayed-task scheduler).
 */
export type ThreadKind = 'main' | 'v8' | 'libuv' | 'other';
export const THREAD_KINDS: readonly ThreadKind[] = ['main', 'v8', 'libuv', 'other'];

export function threadKindOf(name: string, pid: number, tid: number): ThreadKind {
  if (name === 'MainThread' || tid === pid) return 'main';
  if (name.startsWith('V8Worker')) return 'v8';
  if (name.startsWith('libuv-worker')) return 'libuv';
  return 'other';
}

/** A value for each kind of thread. */
export function byThreadKind(value: (kind: ThreadKind) => number): Record<ThreadKind, number> {
  return { main: value('main'), v8: value('v8'), libuv: value('libuv'), other: value('other') };
}

/** A process's threads now: id, name and CPU seconds so far (none once it is gone; a thread that ends meanwhile is left out). */
export function threadTimes(pid: number): { tid: number; name: string; seconds: number }[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((task) => {
    try {
      const { name, user, system } = procStat(`/proc/${pid}/task/${task}/stat`);
      return [{ tid: Number(task), name, seconds: user + system }];
    } catch {
      return []; // the thread ended
    }
  });
}

/** CPU seconds so far of a process's threads, by kind (threads that ended are not counted). */
export function threadSecondsOf(pid: number): Record<ThreadKind, number> {
  const seconds = byThreadKind(() => 0);
  for (const { tid, name, seconds: used } of threadTimes(pid)) seconds[threadKindOf(name, pid, tid)] += used;
  return seconds;
}

/** µs of CPU each of `count` things cost, from a share of the machine (%, every core) over `seconds`. */
export function microsEach(share: number, seconds: number, count: number, cpus = cores): number {
  return ((share / 100) * cpus * seconds * 1e6) / Math.max(1, count);
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
  private readonly threadsBefore = new Map<number, Record<ThreadKind, number>>();
  private startedAt = 0;
  private machineBefore = { busy: 0, total: 0 };

  constructor(private readonly groups: Record<string, () => number[]>) {}

  start(): void {
    this.startedAt = performance.now();
    this.machineBefore = machineTicks();
    for (const pids of Object.values(this.groups))
      for (const pid of pids()) {
        this.before.set(pid, cpuSecondsOf(pid));
        this.threadsBefore.set(pid, threadSecondsOf(pid));
      }
  }

  /** Per group: CPU seconds used since start() by kind of thread (a process's event loop, V8's helpers, ...). */
  threadSeconds(): Record<string, Record<ThreadKind, number>> {
    const result: Record<string, Record<ThreadKind, number>> = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      const sum = byThreadKind(() => 0);
      for (const pid of pids()) {
        const now = threadSecondsOf(pid);
        const before = this.threadsBefore.get(pid);
        for (const kind of THREAD_KINDS) sum[kind] += now[kind] - (before?.[kind] ?? 0);
      }
      result[name] = sum;
    }
    return result;
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

  /** Per group and kind of thread: % of the whole machine from start() to now, as stop() counts it. */
  threadShares(): Record<string, Record<ThreadKind, number>> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const shares: Record<string, Record<ThreadKind, number>> = {};
    for (const [name, used] of Object.entries(this.threadSeconds()))
      shares[name] = byThreadKind((kind) => (100 * used[kind]) / seconds / cores);
    return shares;
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
