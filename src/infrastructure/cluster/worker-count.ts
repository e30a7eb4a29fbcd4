import { availableParallelism } from 'node:os';
import { usesRedis, type Config } from '../config/config.js';

export interface WorkerPlan {
  count: number;
  /** Why the count differs from what was asked, when it does. */
  note?: string;
}

/**
 * How many server processes to run. Several only with MySQL and Redis: the embedded mode keeps
 * the waiting room, rate limits and read cache in process memory (each worker would keep its own
 * queue and its own `maxActive`), and SQLite takes one writer at a time anyway.
 */
export function planWorkers(
  config: Pick<Config, 'WORKERS' | 'database' | 'REDIS_URL'> & Partial<Pick<Config, 'REDIS_CLUSTER_NODES'>>,
  cores = availableParallelism(),
): WorkerPlan {
  const asked = config.WORKERS ?? cores;
  if (config.database === 'mysql' && usesRedis(config)) return { count: asked };
  if (asked === 1) return { count: 1 };
  const note =
    config.WORKERS === undefined
      ? undefined
      : `WORKERS=${config.WORKERS} ignored: without MYSQL_URL and REDIS_URL the waiting room and SQLite live in one process`;
  return { count: 1, note };
}
