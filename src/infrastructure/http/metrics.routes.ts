import Router from '@koa/router';
import { collectDefaultMetrics, Gauge, register } from 'prom-client';
import { runReadiness, type ReadinessCheck } from './readiness.js';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const dependencyUp = new Gauge({
  name: 'onsale_dependency_up',
  help: '1 when a store this process uses (the database, Redis) answered its readiness check at this scrape, else 0',
  labelNames: ['dependency'],
});
let defaultsOn = false;

/**
 * Node's process figures (event-loop lag, GC, heap, handles, CPU, file descriptors) from
 * prom-client's defaults, once per process however many apps it builds.
 */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register });
}

/** Prometheus metrics of this process at GET /metrics; each scrape checks the stores first. */
export function metricsRouter(readiness: ReadinessCheck[] = []): Router {
  collectProcessMetrics();
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    const { checks } = await runReadiness(readiness, 1000);
    dependencyUp.reset();
    for (const [name, state] of Object.entries(checks)) dependencyUp.set({ dependency: name }, state === 'up' ? 1 : 0);
    ctx.type = register.contentType;
    ctx.body = await register.metrics();
  });
  return router;
}
