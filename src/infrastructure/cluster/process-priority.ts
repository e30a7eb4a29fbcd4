import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Logger } from '../logging/logger.js';

/**
 * Lowers this process's CPU priority to `nice` (WAITING_ROOM_NICE), every thread of it: Linux keeps a
 * nice value per thread and setpriority(pid 0) changes only the caller's, while V8's compiler and
 * collector threads and libuv's pool already run. Threads started later inherit it. A nice value
 * only ever goes up here (an unprivileged process may not lower it again).
 */
export function lowerPriority(nice: number, logger: Logger): void {
  if (nice === 0) return;
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    threads = [0]; // no /proc (not Linux): the process as the OS defines it
  }
  let failed = 0;
  for (const thread of threads) {
    try {
      setPriority(thread, nice);
    } catch {
      failed++; // a thread that has just ended, or a system that refuses
    }
  }
  if (failed === threads.length) logger.warn({ nice }, 'could not lower this process’s CPU priority');
  else logger.info({ nice, threads: threads.length - failed }, 'waiting-room process: CPU priority lowered');
}
