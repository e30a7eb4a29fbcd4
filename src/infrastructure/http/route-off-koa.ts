import type { IncomingMessage } from 'node:http';
import type { Authenticator, Principal } from '../../application/ports/authenticator.js';
import type { Logger } from '../logging/logger.js';
import { recordAnswer, UNMATCHED_ROUTE } from './http.metrics.js';
import { problemFor, withRequestId } from './problem.middleware.js';
import { requestIdOf } from './request-id.js';
import { principalFor, type RouteSpec } from './route.js';

/** What a request answered outside Koa keeps of itself: a few strings. */
export interface Ask {
  method: string;
  /** The path without its query. */
  path: string;
  authorization: string | undefined;
  requestId: string;
}

/** The strings of a request that an answer outside Koa needs (so that the request itself may be let go). */
export function askOf(request: IncomingMessage): Ask {
  const { method = 'GET', url = '/', headers } = request;
  return { method, path: url.split('?')[0]!, authorization: headers.authorization, requestId: requestIdOf(headers['x-request-id']) };
}

/** An answer ready to write: status, head fields and the body's text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * The caller, the body (`rawBody`: as the body parser read it) and the path params of a route asked
 * outside Koa, checked in the order `mount` checks them (a refusal is thrown).
 */
export async function principalAndParams(
  spec: RouteSpec<any, any, any>,
  ask: Ask,
  rawParams: Record<string, string>,
  authenticator: Authenticator,
  rawBody?: unknown,
): Promise<{ principal: Principal; body: unknown; params: unknown }> {
  const principal = await principalFor(ask.authorization, spec.access, authenticator);
  const body = spec.body ? spec.body.parse(rawBody ?? {}) : undefined;
  const params = spec.params ? spec.params.parse(rawParams) : {};
  return { principal: principal as Principal, body, params };
}

/** A failure as the Koa chain answers it (the one mapping, problemFor), with the request id in body and head. */
export function problemAnswer(thrown: unknown, logger: Logger, ask: Ask): RawAnswer {
  const { body, retryAfter } = problemFor(thrown, logger, { method: ask.method, path: ask.path });
  const text = JSON.stringify(withRequestId(body, ask.requestId));
  const headers: Record<string, string> = { 'X-Request-Id': ask.requestId };
  if (retryAfter) headers['Retry-After'] = retryAfter;
  headers['Content-Type'] = 'application/problem+json';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  return { status: body.status, headers, text };
}

/** Counts and logs an answer given outside Koa as httpMetrics does inside (nothing when `observe` is false). */
export function answerRecorder(logger: Logger, method: string, observe = true) {
  const started = process.hrtime.bigint();
  return (status: number, held: boolean, route = UNMATCHED_ROUTE): void => {
    if (observe) recordAnswer(logger, method, route, status, Number(process.hrtime.bigint() - started) / 1e9, held);
  };
}
