import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Authenticator, Principal } from '../../application/ports/authenticator.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Logger } from '../logging/logger.js';
import { runInRequest, type RequestContext } from '../logging/request-context.js';
import { openStream } from './event-stream-route.js';
import { recordAnswer, UNMATCHED_ROUTE } from './http.metrics.js';
import { pathParams } from './path-params.js';
import { problemFor, withRequestId } from './problem.middleware.js';
import { SocketSseSink } from './queue-event-stream.js';
import { rawHead } from './raw-head.js';
import { requestIdOf } from './request-id.js';
import { principalFor, type RouteSpec } from './route.js';

/** The Upgrade token that asks for an event stream on the bare socket (docs/waiting-room.md). */
export const EVENT_STREAM_UPGRADE = 'onsale-events';

export interface UpgradeParts {
  logger: Logger;
  authenticator: Authenticator;
  routes: RouteSpec<any, any, any>[];
  /** Request metrics and the access log (default on), as the Koa app's. */
  observe?: boolean;
}

/** What is kept of an upgraded request: a few strings; the request object itself is let go at once. */
interface Ask {
  method: string;
  path: string;
  authorization: string | undefined;
  requestId: string;
}

/** Whether a request's `Upgrade` header names our token (Node asks only when `Connection: Upgrade` came too). */
export function asksForEventStream(request: IncomingMessage): boolean {
  const tokens = request.headers.upgrade?.toLowerCase().split(',') ?? [];
  return tokens.some((token) => token.trim() === EVENT_STREAM_UPGRADE);
}

/**
 * Serves the event-stream routes (eventStreamRoute) on requests with `Connection: Upgrade` and
 * `Upgrade: onsale-events`, whichever request of a kept-alive connection it is: Node's HTTP server
 * then lets the socket go (its parser, request and response: a held stream costs ~4 KB instead of
 * ~20), and the answer is written on it, a problem or a 200 event stream that lasts as long as the
 * connection (the upgrade is not taken, as RFC 9110 §7.8 allows). Other tokens are Koa's as before.
 */
export function serveUpgradedStreams(server: Server, parts: UpgradeParts): void {
  const streams = parts.routes.filter((spec) => spec.stream !== undefined && spec.method === 'get');
  // Node 22.21 and 24.9 on (every version `engines` allows); without it every upgrade would come here, refused below
  (server as Server & { shouldUpgradeCallback?: (request: IncomingMessage) => boolean }).shouldUpgradeCallback = asksForEventStream;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    const ours = asksForEventStream(request);
    const { method = 'GET', url = '/', headers } = request;
    const ask = { method, path: url.split('?')[0]!, authorization: headers.authorization, requestId: requestIdOf(headers['x-request-id']) };
    void answer(ask, ours, socket as Socket, streams, parts);
  });
}

async function answer(ask: Ask, ours: boolean, socket: Socket, streams: RouteSpec<any, any, any>[], parts: UpgradeParts): Promise<void> {
  const started = process.hrtime.bigint();
  // the HTTP server's own listeners are gone: a reset or the client's end closes the connection
  socket.on('error', destroy).on('end', destroy);
  socket.resume(); // reads (and drops) whatever comes, so that the client's end is seen
  const context: RequestContext = { requestId: ask.requestId };
  let route = UNMATCHED_ROUTE;
  const record = (status: number, held: boolean) => {
    if (parts.observe === false) return;
    recordAnswer(parts.logger, ask.method, route, status, Number(process.hrtime.bigint() - started) / 1e9, held);
  };
  await runInRequest(context, async () => {
    try {
      const spec = ask.method === 'GET' && ours ? streams.find((s) => pathParams(s.path, ask.path)) : undefined;
      if (!spec)
        throw new DomainError('validation', 'HTTP.UPGRADE_REFUSED', `Upgrade: ${EVENT_STREAM_UPGRADE} is only for GET of an event stream`);
      route = spec.path;
      const principal = await principalFor(ask.authorization, spec.access, parts.authenticator);
      const params = spec.params ? spec.params.parse(pathParams(spec.path, ask.path)) : {};
      const start = await spec.stream!.open({ params, principal: principal as Principal });
      const following = openStream(socket, new SocketSseSink(socket, ask.requestId), start, spec.stream!.retryMs);
      stopOnClose(socket, following, context);
      record(200, true);
    } catch (thrown) {
      const { body, retryAfter } = problemFor(thrown, parts.logger, { method: ask.method, path: ask.path });
      const text = JSON.stringify(withRequestId(body, ask.requestId));
      const headers: Record<string, string> = {
        'Content-Type': 'application/problem+json',
        'Content-Length': String(Buffer.byteLength(text)),
        'X-Request-Id': ask.requestId,
      };
      if (retryAfter) headers['Retry-After'] = retryAfter;
      socket.write(rawHead(body.status, headers) + text);
      socket.destroySoon();
      context.ended = true;
      record(body.status, false);
    }
  });
}

/** Stops following once the connection closes (at once if it closed while the stream was opening). */
function stopOnClose(socket: Socket, following: { stop(): void }, context: RequestContext): void {
  // its own small scope: this closure lives as long as the stream, and keeps nothing else alive
  const closed = () => {
    following.stop();
    context.ended = true;
  };
  if (socket.destroyed) closed();
  else socket.once('close', closed);
}

function destroy(this: Socket): void {
  this.destroy();
}
