import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Authenticator } from '../../application/ports/authenticator.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Logger } from '../logging/logger.js';
import { runInRequest, type RequestContext } from '../logging/request-context.js';
import { openStream } from './event-stream-route.js';
import { pathParams } from './path-params.js';
import { SocketSseSink } from './queue-event-stream.js';
import { rawHead } from './raw-head.js';
import type { RouteSpec } from './route.js';
import { answerRecorder, askOf, principalAndParams, problemAnswer, type Ask } from './route-off-koa.js';

/** The Upgrade token that asks for an event stream on the bare socket (docs/waiting-room.md). */
export const EVENT_STREAM_UPGRADE = 'onsale-events';

export interface UpgradeParts {
  logger: Logger;
  authenticator: Authenticator;
  routes: RouteSpec<any, any, any>[];
  /** Request metrics and the access log (default on), as the Koa app's. */
  observe?: boolean;
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
    // what is kept of an upgraded request: a few strings; the request object itself is let go at once
    void answer(askOf(request), ours, socket as Socket, streams, parts);
  });
}

async function answer(ask: Ask, ours: boolean, socket: Socket, streams: RouteSpec<any, any, any>[], parts: UpgradeParts): Promise<void> {
  const record = answerRecorder(parts.logger, ask.method, parts.observe);
  // the HTTP server's own listeners are gone: a reset or the client's end closes the connection
  socket.on('error', destroy).on('end', destroy);
  socket.resume(); // reads (and drops) whatever comes, so that the client's end is seen
  const context: RequestContext = { requestId: ask.requestId };
  let route: string | undefined;
  await runInRequest(context, async () => {
    try {
      const spec = ask.method === 'GET' && ours ? streams.find((s) => pathParams(s.path, ask.path)) : undefined;
      if (!spec)
        throw new DomainError('validation', 'HTTP.UPGRADE_REFUSED', `Upgrade: ${EVENT_STREAM_UPGRADE} is only for GET of an event stream`);
      route = spec.path;
      const { principal, params } = await principalAndParams(spec, ask, pathParams(spec.path, ask.path)!, parts.authenticator);
      const start = await spec.stream!.open({ params, principal });
      const following = openStream(socket, new SocketSseSink(socket, ask.requestId), start, spec.stream!.retryMs);
      stopOnClose(socket, following, context);
      record(200, true, route);
    } catch (thrown) {
      const { status, headers, text } = problemAnswer(thrown, parts.logger, ask);
      socket.write(rawHead(status, headers) + text);
      socket.destroySoon();
      context.ended = true;
      record(status, false, route);
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
