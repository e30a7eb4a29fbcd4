import cluster from 'node:cluster';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';

/**
 * Runs one server process until SIGTERM/SIGINT (or, in a worker, until the primary is gone):
 * stops accepting, lets in-flight requests finish (idle keep-alive connections are closed as they
 * go idle), stops background work through the lifecycle, then exits 0.
 */
export async function serveUntilSignalled(config: Config, logger: Logger, stopTimeoutMs = 25_000): Promise<void> {
  // Imported here so that a cluster primary never loads the application.
  const { startServer } = await import('../server.js');
  const running = await startServer(config, logger);
  let stopping = false;

  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const idle = setInterval(() => running.server.closeIdleConnections(), 100);
    const force = setTimeout(() => {
      logger.warn('requests still running at the shutdown deadline: closing their connections');
      running.server.closeAllConnections();
    }, stopTimeoutMs);
    force.unref();
    running.close().then(
      () => {
        clearInterval(idle);
        clearTimeout(force);
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };

  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (cluster.isWorker) process.on('disconnect', () => shutdown('primary gone'));
}
