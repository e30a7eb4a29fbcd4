import type { Middleware } from 'koa';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Authenticator } from '../../application/ports/authenticator.js';
import type { Logger } from '../logging/logger.js';
import { runInRequest, type RequestContext } from '../logging/request-context.js';
import { clientIp } from './client-ip.js';
import { asksToWait } from './http.metrics.js';
import { ParkableResponse } from './parked-poll.js';
import { pathParams } from './path-params.js';
import { bodyOutsideKoa, requestBodyParser } from './request-body.js';
import { isJsonValue, jsonAnswer, noTurn, type Reply, type RouteSpec } from './route.js';
import { answerRecorder, askOf, principalAndParams, problemAnswer, type Ask } from './route-off-koa.js';
import type { YieldingTurns } from './yielding-turns.js';

export interface HotParts {
  logger: Logger;
  authenticator: Authenticator;
  routes: RouteSpec<any, any, any>[];
  /** As the Koa app's (AppParts). */
  trustProxyHops?: number;
  observe?: boolean;
  /** As the Koa app's: the turns a route that `yields` waits for (the join), here as through Koa. */
  turns?: YieldingTurns;
}

/**
 * A request listener that answers the routes marked `hot` itself, on Node's HTTP server without
 * Koa's middleware chain (its context, the request id, metrics, problem, body-parser and router
 * layers cost a poll about half of its CPU), and hands every other request to `fallback` (Koa's
 * callback). A hot answer is the one Koa gives: same checks, problems (problemFor), head fields,
 * request id, metrics and access log; a GET's body is ignored, as Koa's body parser ignores it. A
 * POST's body is read by Koa's own body parser (request-body.ts): the same types, limits and problems.
 */
export function hotRoutesFirst(parts: HotParts, fallback: RequestListener): RequestListener {
  const hot = parts.routes.filter((spec) => spec.hot === true && (spec.method === 'post' || (spec.method === 'get' && !spec.body)));
  if (hot.length === 0) return fallback;
  refuseOverlaps(hot, parts.routes);
  const byMethod = { GET: hot.filter((spec) => spec.method === 'get'), POST: hot.filter((spec) => spec.method === 'post') };
  const bodies = requestBodyParser();
  return (request, response) => {
    const candidates = request.method === 'GET' ? byMethod.GET : request.method === 'POST' ? byMethod.POST : [];
    if (candidates.length === 0) return fallback(request, response);
    const ask = askOf(request);
    for (const spec of candidates) {
      const params = pathParams(spec.path, ask.path);
      if (params) return answer({ spec, rawParams: params, ask, bodies }, request, response, parts);
    }
    fallback(request, response);
  };
}

/** A request a hot route matched: the route, its path's params as they came, the request's strings. */
interface Hit {
  spec: RouteSpec<any, any, any>;
  rawParams: Record<string, string>;
  ask: Ask;
  /** The body parser a POST's body is read with. */
  bodies: Middleware;
}

/** Answers in the request's context (its id in every log line, `ended` once the response is gone). */
function answer(hit: Hit, request: IncomingMessage, response: ServerResponse, parts: HotParts): void {
  const context: RequestContext = { requestId: hit.ask.requestId };
  response.once('close', () => (context.ended = true));
  // a long poll's connection is parked while its answer is held back (parked-poll.ts): what waits
  // keeps the socket and the few fields of HotEnd, not Node's request, response and parser
  const end = new HotEnd(new ParkableResponse(request, response), hit, request, parts);
  runInRequest(context, () => end.after(replyOf(hit, request, end.out, parts)));
}

/**
 * The route's reply, its handler started once body, caller and params are checked (the request is
 * not kept past the start); undefined when the client left before its body was read, or while a
 * route that yields waited its turn (nobody to answer, no place taken for nobody).
 */
async function replyOf(
  { spec, rawParams, ask, bodies }: Hit,
  request: IncomingMessage,
  out: ParkableResponse,
  parts: HotParts,
): Promise<Reply | undefined> {
  // the body is read first, as Koa's parser reads it before the router (a GET's is not read)
  const read = spec.method === 'post' ? await bodyOutsideKoa(bodies, request) : { body: undefined };
  if (!read) return undefined;
  // then a route that yields (the join) waits its turn, before any work of its own, as `mount` has it
  const done = spec.yields && parts.turns ? await parts.turns.turn() : noTurn;
  let replied: Promise<Reply>;
  try {
    if (request.socket.destroyed) {
      done();
      return undefined;
    }
    const { principal, body, params } = await principalAndParams(spec, ask, rawParams, parts.authenticator, read.body);
    const query = spec.query ? spec.query.parse(parseQuery(request.url!.slice(ask.path.length + 1))) : {};
    const { headers } = request;
    const ip = clientIp(request, parts.trustProxyHops ?? 0);
    // once its answer is held back (a long poll), its turn goes to the next and its connection is parked
    const yieldTurn = () => {
      done();
      out.park();
    };
    replied = spec.handle({ body, query, params, principal, headers, ip, request, yieldTurn });
  } catch (thrown) {
    done();
    throw thrown;
  }
  // answered or failed: the turn is over (no frame of this function waits for it, nor keeps the request)
  replied.then(done, done);
  return replied;
}

/** What the end of a hot answer needs of its request: a few strings (no async frame waits on the reply). */
class HotEnd {
  private readonly ask: Ask;
  /** False: not a GET, whose 200 has no ETag. */
  private readonly ifNoneMatch: string | undefined | false;
  private readonly held: boolean;
  private readonly route: string;
  private readonly logger: Logger;
  private readonly record: (status: number, held: boolean, route?: string) => void;

  constructor(
    readonly out: ParkableResponse,
    hit: Hit,
    request: IncomingMessage,
    parts: HotParts,
  ) {
    const { prefer, 'if-none-match': ifNoneMatch } = request.headers;
    this.ask = { ...hit.ask, authorization: undefined };
    this.ifNoneMatch = hit.spec.method === 'get' ? ifNoneMatch : false;
    this.held = asksToWait(prefer);
    this.route = hit.spec.path;
    this.logger = parts.logger;
    this.record = answerRecorder(parts.logger, hit.ask.method, parts.observe);
  }

  /** Answers once the reply (or its failure) comes; its closures hold this alone (not the request). */
  after(replied: Promise<Reply | undefined>): void {
    replied.then(
      (reply) => this.sent(reply),
      (thrown: unknown) => this.failed(thrown),
    );
  }

  sent(reply: Reply | undefined): void {
    if (!reply) return this.record(gone(this.out, this.ask.requestId), false, this.route);
    let status: number;
    try {
      status = send(this.out, reply, this.ask.requestId, this.ifNoneMatch);
    } catch (thrown) {
      return this.failed(thrown);
    }
    this.record(status, this.held, this.route);
  }

  failed(thrown: unknown): void {
    const problem = problemAnswer(thrown, this.logger, this.ask);
    this.out.writeHead(problem.status, problem.headers).end(problem.text);
    this.record(problem.status, this.held, this.route);
  }
}

/**
 * Writes a hot route's reply as `mount` has Koa write it; the status sent. `ifNoneMatch` false: not
 * a GET, whose 200 has no ETag (Koa serialises the reply as it is).
 */
function send(response: ParkableResponse, reply: Reply, requestId: string, ifNoneMatch: string | undefined | false): number {
  const headers: Record<string, string> = { 'X-Request-Id': requestId, ...reply.headers };
  if (reply.body === undefined) {
    response.writeHead(reply.status, headers).end();
    return reply.status;
  }
  if (!isJsonValue(reply.body)) throw new Error(`hot route answered ${typeof reply.body}: a hot route answers JSON`);
  const answer =
    reply.status === 200 && ifNoneMatch !== false
      ? jsonAnswer(reply.body, reply.headers, ifNoneMatch)
      : { status: reply.status, headers: {}, text: JSON.stringify(reply.body) };
  Object.assign(headers, answer.headers);
  if (answer.text === undefined) {
    response.writeHead(answer.status, headers).end();
    return answer.status;
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(answer.text));
  response.writeHead(answer.status, headers).end(answer.text);
  return answer.status;
}

/** The body parser's answer to a request whose client had gone before its body was read (as Koa sends it); 499. */
function gone(response: ParkableResponse, requestId: string): number {
  const text = 'Request already closed';
  const headers = { 'X-Request-Id': requestId, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(text.length) };
  if (!response.destroyed) response.writeHead(499, headers).end(text);
  return 499;
}

/** A hot route is matched before the router: a route of its method whose path it would also take would never be reached. */
function refuseOverlaps(hot: RouteSpec<any, any, any>[], routes: RouteSpec<any, any, any>[]): void {
  for (const spec of hot) {
    const shadowed = routes.find((other) => other !== spec && other.method === spec.method && pathParams(spec.path, other.path));
    if (shadowed) throw new Error(`hot route ${spec.path} would take the requests of ${shadowed.path}`);
  }
}
