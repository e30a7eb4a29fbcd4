import { availableParallelism } from 'node:os';
import { usesRedis, type Config } from '../config/config.js';

export interface WorkerPlan {
  count: number;
  /** Waiting-room processes beside the `count` workers (WAITING_ROOM_WORKERS). */
  waitingRoom: number;
  /** Why the count differs from what was asked, when it does. */
  note?: string;
}

/**
 * How many server processes to run. Several only with MySQL and Redis: the embedded mode keeps
 * the waiting room, rate limits and read cache in process memory (each worker would keep its own
 * queue and its own `maxActive`), and SQLite takes one writer at a time anyway.
 */
export function planWorkers(
  config: Pick<Config, 'WORKERS' | 'database' | 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_CLUSTER_NODES' | 'WAITING_ROOM_WORKERS'>>,
  cores = availableParallelism(),
): WorkerPlan {
  const asked = config.WORKERS ?? cores;
  const waitingRoom = config.WAITING_ROOM_WORKERS ?? 0;
  if (config.database === 'mysql' && usesRedis(config)) return { count: asked, waitingRoom };
  if (asked === 1 && waitingRoom === 0) return { count: 1, waitingRoom: 0 };
  const ignored = [
    ...(config.WORKERS !== undefined && asked > 1 ? [`WORKERS=${config.WORKERS}`] : []),
    ...(waitingRoom > 0 ? [`WAITING_ROOM_WORKERS=${waitingRoom}`] : []),
  ];
  const note = ignored.length
    ? `${ignored.join(' and ')} ignored: without MYSQL_URL and REDIS_URL the waiting room and SQLite live in one process`
    : undefined;
  return { count: 1, waitingRoom: 0, note };
}
