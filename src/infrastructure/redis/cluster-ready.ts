import type { Cluster } from 'ioredis';
import type { Logger } from '../logging/logger.js';

/**
 * Waits, up to `timeoutMs`, until the Cluster client has read the slot map and connected
 * (`ready`): until then it refuses every command ("Cluster isn't ready", no offline queue), and
 * start-up work that touches Redis (the hold expirer feeding open holds) would fail and stop the
 * process. ioredis keeps retrying by itself (clusterRetryStrategy); past the bound the server starts
 * anyway, unready (its readiness check answers 503 until Redis does), rather than exiting. True when ready.
 */
export async function clusterReady(cluster: Cluster, timeoutMs: number, logger: Logger): Promise<boolean> {
  if (cluster.status === 'ready') return true;
  const startedAt = Date.now();
  const ready = await new Promise<boolean>((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      cluster.off('ready', onReady);
      resolve(value);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    cluster.once('ready', onReady);
  });
  if (ready) logger.info({ waitedMs: Date.now() - startedAt }, 'redis cluster ready');
  else logger.warn({ waitedMs: timeoutMs }, 'redis cluster not ready yet: starting unready (503) and still trying');
  return ready;
}
