import Router from '@koa/router';
import { register } from 'prom-client';

/** Prometheus metrics of this process at GET /metrics. */
export function metricsRouter(): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.type = register.contentType;
    ctx.body = await register.metrics();
  });
  return router;
}
