import 'reflect-metadata';
import cluster from 'node:cluster';
import { planWorkers } from './infrastructure/cluster/worker-count.js';
import { serveUntilSignalled } from './infrastructure/cluster/serve-until-signalled.js';
import { lowerPriority } from './infrastructure/cluster/process-priority.js';
import { superviseWorkers } from './infrastructure/cluster/supervise-workers.js';
import { ConfigError, loadConfig } from './infrastructure/config/config.js';
import { createLogger } from './infrastructure/logging/logger.js';

/** One process with WORKERS=1 (or in embedded mode); else a primary that supervises N workers. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (cluster.isPrimary) {
    const plan = planWorkers(config);
    if (plan.note) logger.warn(plan.note);
    if (plan.count + plan.waitingRoom > 1) {
      logger.info({ workers: plan.count, waitingRoom: plan.waitingRoom }, 'starting workers');
      process.exit(
        await superviseWorkers({
          workers: plan.count,
          logger,
          scheduling: config.CLUSTER_SCHEDULING,
          background: config.BACKGROUND_WORKER,
          waitingRoom: plan.waitingRoom,
          semiSpaceMb: config.WORKER_SEMI_SPACE_MB,
        }),
      );
    }
  }
  // a waiting-room process may yield the CPU to the workers that serve admitted members (WAITING_ROOM_NICE)
  if (config.ONSALE_ROLE === 'waiting-room') lowerPriority(config.WAITING_ROOM_NICE, logger);
  await serveUntilSignalled(config, logger);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
