import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { runInRequest, type RequestContext } from '../logging/request-context.js';

/**
 * Nginx's $request_id (32 hex digits), a UUID, or any other short token; anything else (too long,
 * spaces, control or quote characters that would be logged as they came) is replaced.
 */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

/** The id of a request: the incoming X-Request-Id when well-formed, else a fresh UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID();
}

/**
 * First in the chain: every request gets an id, echoed in X-Request-Id, and everything the request
 * does runs in its context (log lines carry it, problem bodies show it, appended events keep it as
 * their correlation id).
 */
export async function requestId(ctx: Context, next: Next): Promise<void> {
  const id = requestIdOf(ctx.get('x-request-id') || undefined);
  ctx.state.requestId = id;
  ctx.set('X-Request-Id', id);
  const context: RequestContext = { requestId: id };
  // 'close' comes once the response is sent or the client went away (after a streamed body, too)
  ctx.res.once('close', () => (context.ended = true));
  await runInRequest(context, next);
}
