import type { Config } from '../config/config.js';

/** What a forked process does. */
export type ProcessRole = Config['ONSALE_ROLE'];

const SEMI_SPACE = '--max-semi-space-size';

/**
 * The Node options a forked process starts with: the primary's own, and for the processes that
 * serve bookings (`web`, `all`) a young generation of `semiSpaceMb` per semi-space
 * (WORKER_SEMI_SPACE_MB; 0: V8's own). A saturated worker holds every request in flight for the
 * better part of a second, so much of what it allocates outlives the next scavenge and is copied,
 * then promoted; with a young generation twice V8's the scavenges come half as often, each copying
 * more, and their fixed cost is paid half as often (the workers' GC time −25 %: docs/benchmarks.md,
 * nineteenth session). The waiting room's
 * processes keep V8's size, which keeps their memory a waiter small; an operator's own
 * `--max-semi-space-size` (in the primary's options or NODE_OPTIONS, which the workers inherit) wins.
 */
export function workerExecArgv(role: ProcessRole, primary: readonly string[], semiSpaceMb: number, nodeOptions = ''): string[] {
  const own = [...primary];
  if (semiSpaceMb === 0 || (role !== 'web' && role !== 'all')) return own;
  const given = [...primary, ...nodeOptions.split(/\s+/)].some((option) => option === SEMI_SPACE || option.startsWith(`${SEMI_SPACE}=`));
  return given ? own : [...own, `${SEMI_SPACE}=${semiSpaceMb}`];
}
