import Router from '@koa/router';
import { runReadiness, type ReadinessCheck } from './readiness.js';

/** Liveness (the process answers) and readiness (every store it uses answers). */
export function healthRouter(checks: ReadinessCheck[]): Router {
  const router = new Router();
  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'live' };
  });
  router.get('/health/ready', async (ctx) => {
    const result = await runReadiness(checks);
    ctx.status = result.ready ? 200 : 503;
    ctx.body = { status: result.ready ? 'ready' : 'not ready', checks: result.checks };
  });
  return router;
}
