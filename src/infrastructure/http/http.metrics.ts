import type { Context, Next } from 'koa';
import { Counter, Histogram } from 'prom-client';
import type { Logger } from '../logging/logger.js';
import { tallyStatus } from './status-tally.js';

// module-level: prom-client's registry is per process, and a metric may be registered only once
const requests = new Counter({
  name: 'onsale_http_requests_total',
  help: 'HTTP requests answered, by method, route template (not the raw path) and status class',
  labelNames: ['method', 'route', 'status_class'],
});
const duration = new Histogram({
  name: 'onsale_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route template; long polls (Prefer: wait) and event streams are left out (their time is the wait)',
  labelNames: ['method', 'route'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Every path no route matched that is not a file of the web front end: one label, however many paths. */
export const UNMATCHED_ROUTE = 'unmatched';
/** The web front end's files and pages (koa-static, after the API). */
export const WEB_ROUTE = 'web';

/** The bounded labels of a request once answered: the router's template, never the path itself. */
export function httpLabels(ctx: Context): { method: string; route: string; status_class: string } {
  const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  const route = typeof matched === 'string' ? matched : ctx.state.servedByWeb === true && ctx.status < 400 ? WEB_ROUTE : UNMATCHED_ROUTE;
  return { method: METHODS.has(ctx.method) ? ctx.method : 'OTHER', route, status_class: `${Math.floor(ctx.status / 100)}xx` };
}

/**
 * Counts and times every request, outside the problem middleware so that it sees the final status;
 * at LOG_LEVEL=debug, one access-log line per request (Nginx keeps the access log in production).
 */
export function httpMetrics(logger: Logger) {
  return async function measured(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const { method, route } = httpLabels(ctx);
      recordAnswer(logger, method, route, ctx.status, Number(process.hrtime.bigint() - started) / 1e9, heldOpen(ctx));
    }
  };
}

/** Counts one answer, times it unless it was held open (a long poll, a stream), and logs it at debug. */
export function recordAnswer(logger: Logger, method: string, route: string, status: number, seconds: number, held: boolean): void {
  if (!METHODS.has(method)) method = 'OTHER';
  requests.inc({ method, route, status_class: `${Math.floor(status / 100)}xx` });
  tallyStatus(status);
  if (!held) duration.observe({ method, route }, seconds);
  if (logger.isLevelEnabled('debug')) logger.debug({ method, route, status, ms: Math.round(seconds * 1000) }, 'request answered');
}

function heldOpen(ctx: Context): boolean {
  return asksToWait(ctx.get('prefer')) || ctx.response.type === 'text/event-stream';
}

/** Whether a request asks for a long poll (`Prefer: wait=…`): its time is the wait, not the work. */
export function asksToWait(prefer: string | string[] | undefined): boolean {
  return prefer !== undefined && /\bwait=/.test(String(prefer));
}
