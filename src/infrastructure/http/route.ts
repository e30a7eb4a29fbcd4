import type Router from '@koa/router';
import type { Context } from 'koa';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { Authenticator, Principal } from '../../application/ports/authenticator.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { EventStream } from './event-stream-route.js';
import { jsonBody, matchesEtag } from './json-body.js';
import type { YieldingTurns } from './yielding-turns.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Access = 'public' | 'member' | 'admin';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Set on `member` and `admin` routes. */
  principal: Principal;
  headers: Record<string, string | string[] | undefined>;
  ip: string;
  /** Node's request (its 'close': the client went away). */
  request: IncomingMessage;
  /** Koa's context; absent on a `hot` route (served before Koa). */
  ctx?: Context;
  /** On a route that yields: its work is over for now (the answer waits for news), the next may run. */
  yieldTurn: () => void;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: Method;
  /** Koa-style path: /api/shows/:id */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Documented answers: status → description and (optional) body schema. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handle(input: RouteInput<B, Q, P>): Promise<Reply>;
  /** Set on an event stream (eventStreamRoute): also served on the socket of an upgraded request. */
  stream?: EventStream<P>;
  /**
   * Served before Koa, straight on Node's HTTP server (hot-routes.ts), with the same checks,
   * headers, problems, metrics, request id and turns: for a GET with no body, or a POST with a JSON
   * body (read by Koa's own body parser), that answers JSON and comes by the thousand a second (the
   * queue poll and its long poll, the join, the hold and its confirm). Its path must not also match
   * another route's of its method (a hot route is matched before the router sees the request).
   */
  hot?: boolean;
  /**
   * Under a backlog the request waits its turn behind others of its kind (`YieldingTurns`), before
   * any work of its own: a crowd's joins, so that an admitted member's hold never waits behind them.
   */
  yields?: boolean;
}

/** Declares a route: one schema per input, published in the OpenAPI document as well. */
export function route<B = undefined, Q = Record<string, never>, P = Record<string, never>>(spec: RouteSpec<B, Q, P>): RouteSpec<B, Q, P> {
  return spec;
}

/** The turn of a request that waits for none (a route that does not yield, or no turns kept). */
export const noTurn = () => undefined;

/**
 * Mounts routes on a router: checks access, parses input (unknown fields are errors), replies. A
 * route that `yields` first waits its turn in `turns` (none: it runs at once).
 */
export function mount(router: Router, routes: RouteSpec<any, any, any>[], authenticator: Authenticator, turns?: YieldingTurns): void {
  for (const spec of routes) {
    const answer = async (ctx: Context, yieldTurn: () => void) => {
      const principal = await principalFor(ctx.get('authorization'), spec.access, authenticator);
      if (principal) ctx.state.principal = principal;
      const body = spec.body ? spec.body.parse((ctx.request as { body?: unknown }).body ?? {}) : undefined;
      const query = spec.query ? spec.query.parse(ctx.query) : {};
      const params = spec.params ? spec.params.parse(ctx.params) : {};
      const reply = await spec.handle({
        body,
        query,
        params,
        principal: principal as Principal,
        headers: ctx.headers,
        ip: ctx.ip,
        request: ctx.req,
        ctx,
        yieldTurn,
      });
      for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
      ctx.status = reply.status;
      if (spec.method === 'get' && reply.status === 200 && isJsonValue(reply.body)) {
        const answer = jsonAnswer(reply.body, reply.headers, ctx.get('If-None-Match'));
        for (const [name, value] of Object.entries(answer.headers)) ctx.set(name, value);
        ctx.status = answer.status;
        if (answer.text !== undefined) {
          ctx.type = 'application/json';
          ctx.body = answer.text;
        }
        return;
      }
      if (reply.body !== undefined) ctx.body = reply.body;
    };
    router[spec.method](spec.path, async (ctx: Context) => {
      if (!spec.yields || !turns) return answer(ctx, noTurn);
      const done = await turns.turn();
      try {
        // a client gone while it waited: nobody to answer, and no place to take for nobody
        if (ctx.req.socket.destroyed) ctx.respond = false;
        else await answer(ctx, done);
      } finally {
        done();
      }
    });
  }
}

/**
 * A GET's JSON answer: serialised once per answer object, with an ETag (the head fields to add);
 * a client holding it gets a 304 and no text. An answer nobody may store (queue polls) has no ETag to hash.
 */
export function jsonAnswer(
  value: object,
  replyHeaders: Record<string, string> | undefined,
  ifNoneMatch: string | undefined,
): { status: 200 | 304; headers: Record<string, string>; text?: string } {
  const cacheControl = replyHeaders?.['Cache-Control'];
  if (cacheControl === 'no-store') return { status: 200, headers: {}, text: JSON.stringify(value) };
  const { text, etag } = jsonBody(value);
  const headers: Record<string, string> = { ETag: etag };
  if (!cacheControl) headers['Cache-Control'] = 'no-cache';
  if (ifNoneMatch && matchesEtag(ifNoneMatch, etag)) return { status: 304, headers };
  return { status: 200, headers, text };
}

/** A plain object or array (an answer to serialise), not a stream or a buffer. */
export function isJsonValue(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return Array.isArray(value) || prototype === Object.prototype || prototype === null;
}

/** Who calls a route of `access`, from its Authorization header: none on a public route, a DomainError when refused. */
export async function principalFor(
  authorization: string | undefined,
  access: Access,
  authenticator: Authenticator,
): Promise<Principal | undefined> {
  if (access === 'public') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new DomainError('unauthenticated', 'AUTH.TOKEN_MISSING', 'Send an access token as "Authorization: Bearer <token>"');
  const principal = await authenticator.authenticate(match[1]!);
  if (access === 'admin' && !principal.roles.includes('admin')) {
    throw new DomainError('forbidden', 'AUTH.ADMIN_ONLY', 'This action needs the admin role');
  }
  return principal;
}
