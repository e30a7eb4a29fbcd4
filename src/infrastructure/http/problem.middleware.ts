import type { Context, Next } from 'koa';
import { ZodError } from 'zod';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Logger } from '../logging/logger.js';
import { problem, STATUS_BY_KIND, type Problem } from './problem.js';
import { storeUnavailable } from './store-unavailable.js';

/** The one error mapping: first in the chain, turns every failure into application/problem+json. */
export function problemMiddleware(logger: Logger) {
  return async function problems(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        send(ctx, problem(404, 'HTTP.NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`));
      }
      // the router's answer to a method the path lacks (405) or no route implements (501, e.g. TRACE)
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
        send(ctx, problem(405, 'HTTP.METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}; Allow lists what is`));
      }
    } catch (thrown) {
      const { body, retryAfter } = problemFor(thrown, logger, { method: ctx.method, path: ctx.path });
      if (retryAfter) ctx.set('Retry-After', retryAfter);
      send(ctx, body);
    }
  };
}

/**
 * A failure as it is answered: its problem and the Retry-After to send, logged unless it is a
 * routine refusal. The Koa chain and the upgraded event streams (event-stream-upgrade.ts) both answer through it.
 */
export function problemFor(
  thrown: unknown,
  logger: Logger,
  where: { method: string; path: string },
): { body: Problem; retryAfter?: string } {
  const storeFault = thrown instanceof DomainError ? undefined : storeUnavailable(thrown);
  const error = storeFault ?? thrown;
  const body = toProblem(error);
  // Known refusals (503 busy, 429) are routine under load; only unknown failures are errors.
  if (storeFault) logger.warn({ reason: body.reason, err: thrown, ...where }, 'database unavailable');
  else if (!(error instanceof DomainError) && body.status >= 500) logger.error({ err: error, ...where }, 'request failed');
  const retryAfter =
    error instanceof DomainError && error.retryAfterSeconds !== undefined
      ? String(Math.max(1, Math.ceil(error.retryAfterSeconds)))
      : undefined;
  return { body, retryAfter };
}

/** The id to quote to support: the same as in X-Request-Id and in the logs. */
export function withRequestId(body: Problem, requestId: string | undefined): Problem {
  return requestId === undefined ? body : { ...body, requestId };
}

function send(ctx: Context, body: Problem): void {
  ctx.status = body.status;
  ctx.body = withRequestId(body, ctx.state?.requestId as string | undefined);
  ctx.type = 'application/problem+json';
}

const HTTP_CODES: Record<number, string> = {
  405: 'HTTP.METHOD_NOT_ALLOWED',
  413: 'HTTP.BODY_TOO_LARGE',
  415: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
};

type Issue = ZodError['issues'][number];

/**
 * A body that fits no branch of a union (`seating`: sections or general admission) is explained by
 * the branch it came closest to (whose issues lie deepest, then the fewest), so the answer names the field.
 */
function closestIssues(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
  const closer = (a: Issue[], b: Issue[]) => depth(a) > depth(b) || (depth(a) === depth(b) && a.length < b.length);
  const closest = issue.errors.reduce((best, branch) => (closer(branch, best) ? branch : best));
  if (depth(closest) === 0) return [issue];
  return closest.flatMap((inner) => closestIssues({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
}

/** Known errors show their own message; anything else is a generic 500. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problem(STATUS_BY_KIND[error.kind], error.code, error.message, error.details ?? {});
  }
  if (error instanceof ZodError) {
    const errors = error.issues.flatMap(closestIssues).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const detail = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
    return problem(400, 'HTTP.VALIDATION', detail, { errors });
  }
  const http = error as { status?: number; statusCode?: number; expose?: boolean; message?: string };
  const status = http.status ?? http.statusCode;
  if (status && status >= 400 && status < 500 && http.expose !== false) {
    return problem(status, HTTP_CODES[status] ?? 'HTTP.BAD_REQUEST', http.message ?? 'Bad request');
  }
  return problem(500, 'HTTP.INTERNAL', 'Something went wrong on our side; it has been logged.');
}
