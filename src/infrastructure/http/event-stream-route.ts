import type { Socket } from 'node:net';
import type { Principal } from '../../application/ports/authenticator.js';
import { ResponseSseSink, type SseSink } from './queue-event-stream.js';
import type { RouteSpec } from './route.js';

/** Starts a stream on its open sink; `stop` once the connection closes. */
export type StreamStart = (sink: SseSink) => { stop(): void };

/** What an event-stream route does, whichever way its connection came (Koa, or an upgraded request). */
export interface EventStream<P> {
  /** How long a client waits before it reconnects. */
  retryMs: number;
  /** The work before the stream opens (a refusal is thrown then, and answered as a problem), and how it starts. */
  open(input: { params: P; principal: Principal }): Promise<StreamStart>;
}

type StreamRouteSpec<P> = Omit<RouteSpec<undefined, Record<string, never>, P>, 'method' | 'handle' | 'stream'> & { stream: EventStream<P> };

/**
 * A GET answered with Server-Sent Events: through Koa, and on the bare socket of a request that
 * asks for it with `Upgrade: onsale-events` (event-stream-upgrade.ts: what Nginx sends).
 */
export function eventStreamRoute<P>(spec: StreamRouteSpec<P>): RouteSpec<undefined, Record<string, never>, P> {
  return {
    ...spec,
    method: 'get',
    handle: async ({ params, principal, ctx }) => {
      const start = await spec.stream.open({ params, principal });
      if (!ctx) throw new Error('an event stream is served by Koa or on an upgraded socket, never hot');
      // written straight to the socket's response, bypassing Koa's body handling
      ctx.respond = false;
      const following = openStream(ctx.req.socket, new ResponseSseSink(ctx.res), start, spec.stream.retryMs);
      // gone while the stream was being opened: its 'close' has been and will not come again
      if (ctx.req.socket.destroyed) following.stop();
      else ctx.res.once('close', following.stop);
      return { status: 200 };
    },
  };
}

/**
 * Opens a stream on its connection: never timed out, every event sent at once. The head and the
 * first event go out in one write (a socket write was a quarter of a worker's CPU in a crowd).
 */
export function openStream(socket: Socket, sink: SseSink, start: StreamStart, retryMs: number): { stop(): void } {
  socket.setTimeout(0);
  socket.setNoDelay(true);
  socket.cork();
  try {
    sink.open(retryMs);
    return start(sink);
  } finally {
    socket.uncork();
  }
}
