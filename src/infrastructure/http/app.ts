import Router from '@koa/router';
import Koa from 'koa';
import type { Authenticator } from '../../application/ports/authenticator.js';
import type { Logger } from '../logging/logger.js';
import { healthRouter } from './health.routes.js';
import { httpMetrics } from './http.metrics.js';
import { metricsRouter } from './metrics.routes.js';
import { openApiDocument } from './openapi.js';
import { problemMiddleware } from './problem.middleware.js';
import { rememberMatches } from './remembered-matches.js';
import type { ReadinessCheck } from './readiness.js';
import { requestBodyParser } from './request-body.js';
import { requestId } from './request-id.js';
import { mount, type RouteSpec } from './route.js';
import type { YieldingTurns } from './yielding-turns.js';

export interface AppParts {
  logger: Logger;
  authenticator: Authenticator;
  routes: RouteSpec<any, any, any>[];
  readiness: ReadinessCheck[];
  /** Extra middleware after the API (e.g. the static web front end). */
  fallback?: Koa.Middleware[];
  version?: string;
  /** Trusted proxies in front (X-Forwarded-For entries counted from the right); 0 trusts none. */
  trustProxyHops?: number;
  /** Request ids and HTTP metrics (default on); off only for bench/metrics-cost.bench.ts's baseline. */
  observe?: boolean;
  /** The turns of the routes that yield (the waiting room's join); none: they run at once. */
  turns?: YieldingTurns;
}

/**
 * The Koa application: a request id and the HTTP metrics around one error mapping, then body
 * limits, health, metrics and the API.
 */
export function createApp(parts: AppParts): Koa {
  const hops = parts.trustProxyHops ?? 0;
  // A client writes the left of X-Forwarded-For; only the entries our own proxies appended count.
  const app = new Koa({ proxy: hops > 0, maxIpsCount: hops });
  app.silent = true;
  const api = new Router();
  mount(api, parts.routes, parts.authenticator, parts.turns);
  const document = openApiDocument(parts.routes, parts.version ?? '0.1.0');
  api.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });

  if (parts.observe !== false) {
    app.use(requestId);
    app.use(httpMetrics(parts.logger));
  }
  app.use(problemMiddleware(parts.logger));
  app.use(requestBodyParser());
  // One router over all paths, so that the Allow of a 405 lists every method of the path (the
  // problem middleware turns the router's bare 405 and 501 into problems).
  const all = new Router();
  for (const router of [healthRouter(parts.readiness), metricsRouter(parts.readiness), api]) all.use(router.routes());
  rememberMatches(all);
  app.use(all.routes());
  app.use(all.allowedMethods());
  for (const middleware of parts.fallback ?? []) app.use(middleware);
  return app;
}
