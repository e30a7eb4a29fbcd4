import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { cores, cpuSecondsOf, machineBusySeconds, procStat, threadTimes } from '../proc-cpu.js';

/** Processes by role: each function lists the pids now (workers and clients come and go). */
export type ProcessGroups = Record<string, () => number[]>;

/** CPU seconds each group has used so far (a process that is gone counts 0: compare within one window). */
export interface CpuMark {
  at: number;
  seconds: Record<string, number>;
  /** SQL statements the server ran so far: its global counters, and per statement digest of the run's schema. */
  sql?: SqlCounts;
  /** Per group: user and system CPU seconds, voluntary and involuntary context switches so far (processes alive now). */
  detail: Record<string, ProcessDetail>;
  /** The whole machine's busy CPU seconds so far (/proc/stat), every process's, other users' too. */
  machine: number;
  /** The run's Redis: calls and µs by command so far (INFO commandstats). */
  redis?: Map<string, { calls: number; usec: number }>;
}

export interface ProcessDetail {
  user: number;
  system: number;
  voluntary: number;
  involuntary: number;
  /** CPU seconds by thread name (MainThread, V8Worker: the compilers' and the collector's helpers, libuv-worker, …). */
  threads: Record<string, number>;
}

export interface SqlCounts {
  status: Record<string, number>;
  digests: Map<string, number>;
}

const STATUS = ['Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_begin', 'Com_commit', 'Com_rollback'];

// a process that has exited (a crowd client at the end) keeps the CPU it was last seen with
const lastSeen = new Map<number, number>();

/** Every group's CPU seconds so far; call it every second so that processes that exit stay counted. */
export function cpuSeconds(groups: ProcessGroups): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    seconds[name] = pids().reduce((sum, pid) => {
      const now = Math.max(cpuSecondsOf(pid), lastSeen.get(pid) ?? 0);
      lastSeen.set(pid, now);
      return sum + now;
    }, 0);
  }
  return seconds;
}

/** A snapshot of every group's CPU and, when a MariaDB connection is given, of its statement counts; when a Redis is, of its commands. */
export async function cpuMark(groups: ProcessGroups, knex?: Knex, schema?: string, redis?: Redis): Promise<CpuMark> {
  const at = Date.now();
  const seconds = cpuSeconds(groups);
  const detail = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, processDetail(pids())]));
  // read now, with the processes' CPU: the statement and command counts below may come back seconds later on a busy machine
  const machine = machineBusySeconds();
  const [sql, commands] = await Promise.all([
    knex ? sqlCounts(knex, schema).catch(() => undefined) : undefined,
    redis ? redisCommands(redis).catch(() => undefined) : undefined,
  ]);
  return { at, seconds, sql, detail, redis: commands, machine };
}

export function processDetail(pids: number[]): ProcessDetail {
  const sum: ProcessDetail = { user: 0, system: 0, voluntary: 0, involuntary: 0, threads: {} };
  for (const pid of pids) {
    try {
      const { user, system } = procStat(`/proc/${pid}/stat`);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      sum.user += user;
      sum.system += system;
      sum.voluntary += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      sum.involuntary += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const thread of threadTimes(pid)) {
        const name = thread.name.replace(/[0-9]+$/, '');
        sum.threads[name] = (sum.threads[name] ?? 0) + thread.seconds;
      }
    } catch {
      // gone
    }
  }
  return sum;
}

async function redisCommands(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const text = await redis.info('commandstats');
  const commands = new Map<string, { calls: number; usec: number }>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    commands.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  return commands;
}

async function sqlCounts(knex: Knex, schema?: string): Promise<SqlCounts> {
  const [rows] = (await knex.raw(`SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS.map(() => '?').join(',')})`, STATUS)) as [
    { Variable_name: string; Value: string }[],
  ];
  const status = Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]));
  const digests = new Map<string, number>();
  // performance_schema is off on most servers (a private MariaDB started with it on gives the statements)
  const [on] = (await knex.raw('SELECT @@performance_schema AS on_')) as [{ on_: number }[]];
  if (on[0]?.on_ && schema) {
    const [found] = (await knex.raw(
      'SELECT DIGEST_TEXT AS text, COUNT_STAR AS n FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME = ?',
      [schema],
    )) as [{ text: string | null; n: number }[]];
    for (const row of found) digests.set(row.text ?? '(other)', (digests.get(row.text ?? '(other)') ?? 0) + Number(row.n));
  }
  return { status, digests };
}

/** The MariaDB server's own pid, from its pid file (readable on this box), or none. */
export async function mysqlPid(knex: Knex): Promise<number | undefined> {
  try {
    const [rows] = (await knex.raw('SELECT @@pid_file AS file, @@datadir AS dir')) as [{ file: string; dir: string }[]];
    const file = rows[0]!.file.startsWith('/') ? rows[0]!.file : `${rows[0]!.dir}/${rows[0]!.file}`;
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** A table of CPU seconds by group between marks, and per join in the first window. */
export function formatCpu(marks: { label: string; mark: CpuMark }[], joins: number): string {
  const names = Object.keys(marks[0]!.mark.seconds);
  const windows = marks.slice(1).map((m, i) => ({ label: `${marks[i]!.label} → ${m.label}`, from: marks[i]!.mark, to: m.mark }));
  const lines = [
    `CPU seconds by process group (joins answered in the first window: ${joins}):`,
    `| group | ${windows.map((w) => `${w.label} (${((w.to.at - w.from.at) / 1000).toFixed(1)} s)`).join(' | ')} | µs a join (first window) |`,
    `| --- | ${windows.map(() => '---:').join(' | ')} | ---: |`,
  ];
  let total = 0;
  for (const name of names) {
    const used = windows.map((w) => (w.to.seconds[name] ?? 0) - (w.from.seconds[name] ?? 0));
    total += used[0]!;
    lines.push(`| ${name} | ${used.map((s) => s.toFixed(2)).join(' | ')} | ${joins ? Math.round((used[0]! * 1e6) / joins) : '–'} |`);
  }
  lines.push(
    `| all of them | ${windows.map((w) => sumDelta(w.from, w.to).toFixed(2)).join(' | ')} | ${joins ? Math.round((total * 1e6) / joins) : '–'} |`,
  );
  const machine = windows.map((w) => w.to.machine - w.from.machine);
  lines.push(
    `| the whole machine (others' work too) | ${machine.map((s, i) => `${s.toFixed(2)} (${Math.round((100 * s) / ((windows[i]!.to.at - windows[i]!.from.at) / 1000) / cores)} % busy)`).join(' | ')} | ${joins ? Math.round((machine[0]! * 1e6) / joins) : '–'} |`,
  );
  const first = windows[0]!;
  lines.push('', ...formatDetail(first.from, first.to, joins));
  if (first.from.redis && first.to.redis) lines.push('', ...formatRedis(first.from.redis, first.to.redis, joins));
  if (first.from.sql && first.to.sql) lines.push('', ...formatSql(first.from.sql, first.to.sql, joins));
  // the later windows (members waiting, no joins): what a second costs
  for (const w of windows.slice(1)) {
    const seconds = (w.to.at - w.from.at) / 1000;
    lines.push('', `${w.label}, per second:`);
    lines.push(...formatDetail(w.from, w.to, seconds).slice(1));
    if (w.from.redis && w.to.redis) lines.push(...formatRedis(w.from.redis, w.to.redis, seconds).slice(1));
    if (w.from.sql && w.to.sql) lines.push(...formatSql(w.from.sql, w.to.sql, seconds).slice(1));
  }
  return lines.join('\n');
}

function formatDetail(from: CpuMark, to: CpuMark, joins: number): string[] {
  const per = (n: number, scale = 1) => (joins ? ((n * scale) / joins).toFixed(scale === 1 ? 3 : 0) : '–');
  const lines = [
    'In the first window, per join (processes alive at both marks): µs user / system, context switches voluntary / involuntary:',
  ];
  for (const name of Object.keys(to.detail)) {
    const a = from.detail[name]!;
    const b = to.detail[name]!;
    lines.push(
      `  ${name}: ${per(b.user - a.user, 1e6)} / ${per(b.system - a.system, 1e6)} µs; ${per(b.voluntary - a.voluntary)} / ${per(b.involuntary - a.involuntary)}`,
    );
    // threads alive at both marks: a thread that ended between them is left out
    const threads = Object.keys(b.threads).filter((thread) => a.threads[thread] !== undefined);
    if (name === 'server workers')
      lines.push(
        `    by thread (µs): ${threads.map((thread) => `${thread} ${per(b.threads[thread]! - a.threads[thread]!, 1e6)}`).join(', ')}`,
      );
  }
  return lines;
}

function formatRedis(
  from: Map<string, { calls: number; usec: number }>,
  to: Map<string, { calls: number; usec: number }>,
  joins: number,
): string[] {
  const rows = [...to]
    .map(([name, b]) => ({ name, calls: b.calls - (from.get(name)?.calls ?? 0), usec: b.usec - (from.get(name)?.usec ?? 0) }))
    .filter((row) => row.calls > 0)
    .sort((x, y) => y.calls - x.calls);
  const lines = ['Redis commands in the first window (calls, per join, µs in Redis per join):'];
  for (const row of rows)
    lines.push(
      `  ${row.name}: ${row.calls} (${joins ? (row.calls / joins).toFixed(3) : '–'}; ${joins ? (row.usec / joins).toFixed(1) : '–'} µs)`,
    );
  return lines;
}

function sumDelta(from: CpuMark, to: CpuMark): number {
  return Object.keys(from.seconds).reduce((sum, name) => sum + (to.seconds[name] ?? 0) - from.seconds[name]!, 0);
}

function formatSql(from: SqlCounts, to: SqlCounts, joins: number): string[] {
  const per = (n: number) => (joins ? (n / joins).toFixed(3) : '–');
  const lines = ['SQL in the first window (server counters; per join):'];
  for (const name of STATUS) {
    const n = (to.status[name] ?? 0) - (from.status[name] ?? 0);
    lines.push(`  ${name}: ${n} (${per(n)})`);
  }
  const deltas = [...to.digests].map(([text, n]) => [text, n - (from.digests.get(text) ?? 0)] as const).filter(([, n]) => n > 0);
  deltas.sort((a, b) => b[1] - a[1]);
  if (deltas.length) lines.push("  statements of the run's schema, by digest:");
  for (const [text, n] of deltas.slice(0, 25))
    lines.push(`  ${String(n).padStart(8)} (${per(n)})  ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
  return lines;
}
