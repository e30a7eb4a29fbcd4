import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logging/logger.js';
import { workerExecArgv, type ProcessRole } from './worker-exec-argv.js';

export interface SupervisorOptions {
  workers: number;
  logger: Logger;
  /** After this long a worker that has not finished shutting down is killed. */
  stopTimeoutMs?: number;
  /** More unexpected exits than this within a minute: give up instead of restarting forever. */
  maxRestartsPerMinute?: number;
  /**
   * Who accepts connections. `os` (default): every worker accepts from the shared socket itself.
   * `round-robin`: the primary accepts and hands each connection to a worker over IPC, one at a
   * time per worker, each waiting for that worker's event loop; under an on-sale burst, with the
   * workers saturated, 2,560 connections opened at once took up to 30 s to reach a worker that way.
   */
  scheduling?: 'os' | 'round-robin';
  /**
   * One more process for the background work (projections, mail sender), started first and
   * restarted like the others; the `workers` then only serve requests (BACKGROUND_WORKER).
   */
  background?: boolean;
  /**
   * This many more processes in slots workers…workers+waitingRoom−1, each holding the waiting
   * room's crowd only (WAITING_ROOM_WORKERS), restarted like the others.
   */
  waitingRoom?: number;
  /** The young generation of the processes that serve bookings, MB a semi-space (WORKER_SEMI_SPACE_MB; 0 or absent: V8's). */
  semiSpaceMb?: number;
}

/** The background process's slot in the supervisor's map (the workers have 0…workers−1). */
const BACKGROUND = -1;

/**
 * The primary process: forks the workers (the first alone, so that it runs the migrations before
 * the others start), restarts a worker that dies unexpectedly, and on SIGTERM/SIGINT forwards the
 * signal to every worker and waits for them. Resolves with the process exit code.
 */
export function superviseWorkers(options: SupervisorOptions): Promise<number> {
  const { logger, workers } = options;
  // the workers' slots, then the waiting room's
  const processes = workers + (options.waitingRoom ?? 0);
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const maxRestarts = options.maxRestartsPerMinute ?? Math.max(5, processes * 3);
  const restarts: number[] = [];
  // each worker has a slot (0…workers−1, then the waiting room's) it keeps across restarts, and with it its own ports (see workerPorts)
  const slots = new Map<number, number>();
  // before the first fork: the policy is fixed once a worker exists
  cluster.schedulingPolicy = options.scheduling === 'round-robin' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  const fork = (slot: number) => {
    const role: ProcessRole = slot === BACKGROUND ? 'background' : slot >= workers ? 'waiting-room' : options.background ? 'web' : 'all';
    // settings apply to the forks after them: each process gets the Node options of its role
    cluster.setupPrimary({ execArgv: workerExecArgv(role, process.execArgv, options.semiSpaceMb ?? 0, process.env.NODE_OPTIONS) });
    // the background process counts as slot 0 where a slot matters (pool shards); it has no ports of its own
    const worker = cluster.fork({ ONSALE_WORKER_SLOT: String(Math.max(0, slot)), ONSALE_WORKER_SLOTS: String(workers), ONSALE_ROLE: role });
    slots.set(worker.id, slot);
    return worker;
  };
  let stopping = false;
  let exitCode = 0;

  return new Promise<number>((resolve) => {
    const finishIfAllGone = () => {
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
    };

    const stopAll = (signal: NodeJS.Signals, code: number) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      logger.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, 'stopping workers');
      for (const worker of liveWorkers()) worker.process.kill(signal === 'SIGINT' ? 'SIGTERM' : signal);
      setTimeout(() => {
        for (const worker of liveWorkers()) {
          logger.warn({ worker: worker.process.pid }, 'worker did not stop in time: killing it');
          worker.process.kill('SIGKILL');
        }
      }, stopTimeoutMs).unref();
      finishIfAllGone();
    };

    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (code !== 0 && signal !== 'SIGTERM') exitCode = exitCode || 1;
        finishIfAllGone();
        return;
      }
      logger.error({ worker: worker.process.pid, code, signal }, 'worker died');
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > maxRestarts) return stopAll('SIGTERM', 1);
      const slot = slots.get(worker.id) ?? 0;
      slots.delete(worker.id);
      setTimeout(() => stopping || fork(slot), 250 * Math.min(restarts.length, 8));
    });

    process.on('SIGTERM', () => stopAll('SIGTERM', 0));
    process.on('SIGINT', () => stopAll('SIGINT', 0));

    // the background process first: it creates the read models' tables as it takes their leases
    (options.background ? listening(fork(BACKGROUND)) : Promise.resolve())
      .then(() => forkFirstThenRest(processes, fork, logger))
      .catch((error) => {
        logger.error({ err: error }, 'workers did not start');
        stopAll('SIGTERM', 1);
      });
  });
}

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => Boolean(worker && !worker.isDead()));
}

async function forkFirstThenRest(count: number, fork: (slot: number) => Worker, logger: Logger): Promise<void> {
  await listening(fork(0));
  const rest = Array.from({ length: count - 1 }, (_, i) => listening(fork(i + 1)));
  await Promise.all(rest);
  logger.info({ workers: count }, 'all workers listening');
}

function listening(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('listening', () => resolve());
    worker.once('exit', (code) => reject(new Error(`worker ${worker.process.pid} exited with ${code} before listening`)));
  });
}
