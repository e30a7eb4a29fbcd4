import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Authenticator } from '../../application/ports/authenticator.js';
import { requestIdOf } from './request-id.js';
import { SocketSseSink } from './socket-sse-sink.js';

/** What the door needs to open a waiting member's event stream itself. */
export interface StreamDoorDeps {
  authenticator: Pick<Authenticator, 'authenticate'>;
  /** The queue's follow (QueueStatusHandler.follow): throws for anything but a stream to open. */
  follow(query: {
    showId: string;
    memberId: string;
  }): Promise<{ start(sink: SocketSseSink, options: { tokenRefreshMs: number }): { stop(): void } }>;
  tokenRefreshMs(): number;
}

/** The route's own rule for a show id (admission.routes.ts): 1–64 letters, digits, - or _. */
const EVENTS = /^GET \/api\/shows\/([A-Za-z0-9_-]{1,64})\/queue\/events HTTP\/1\.1\r\n/;
const BEARER = /\r\nauthorization:[ \t]*Bearer[ \t]+(\S+)[ \t]*\r\n/i;
const REQUEST_ID = /\r\nx-request-id:[ \t]*(\S+)[ \t]*\r\n/i;
/** A stream request fits in one read; anything longer is not one of ours. */
const MAX_HEAD = 8192;

/**
 * The front of a listening port, before Node's HTTP server: a waiting member's event stream
 * (`GET /api/shows/:id/queue/events`) is opened here on the bare socket, and every other
 * connection is handed to `http` as it came. A connection held open by Node's HTTP server costs
 * about 16 KB, and Koa's objects kept by it 8 KB more (`npm run bench:connection-memory`); a bare
 * socket about 3 KB, which a crowd of a hundred thousand waiting members feels.
 *
 * Only a request the door can answer in full is kept: one read holding the whole head, a bearer
 * token that verifies, a member the queue follows. Anything else (a bad token, a show without a
 * queue, a member not in it, a fault) goes to the HTTP server untouched, which answers it as
 * before, problem+json and all. Requests that share a connection with an earlier one (keep-alive)
 * are the HTTP server's too: the door looks at a connection's first request only.
 */
export function installStreamDoor(http: Server, deps: StreamDoorDeps): void {
  // Node's own handler of a new connection (its parser, keep-alive, connection tracking): it gets
  // every connection the door does not keep, as if it had come straight to it
  const [nodes, ...others] = http.listeners('connection') as ((socket: Socket) => void)[];
  if (!nodes || others.length > 0) throw new Error('the stream door expects a plain HTTP server');
  http.removeAllListeners('connection');
  const handOver = (socket: Socket, head: Buffer) => {
    socket.pause();
    socket.unshift(head);
    nodes.call(http, socket);
    process.nextTick(() => socket.resume());
  };
  http.on('connection', (socket: Socket) => {
    socket.on('error', () => undefined); // the HTTP server, or our stream, listens from here on
    socket.once('data', (head: Buffer) => {
      socket.pause();
      const text = head.length <= MAX_HEAD ? head.toString('latin1') : '';
      const path = EVENTS.exec(text);
      const token = path && text.endsWith('\r\n\r\n') ? BEARER.exec(text)?.[1] : undefined;
      if (!path || !token) return handOver(socket, head);
      void open(socket, path[1]!, token, requestIdOf(REQUEST_ID.exec(text)?.[1])).then(
        (opened) => opened || handOver(socket, head),
        () => handOver(socket, head),
      );
    });
  });

  async function open(socket: Socket, showId: string, token: string, requestId: string): Promise<boolean> {
    const principal = await deps.authenticator.authenticate(token);
    const { start } = await deps.follow({ showId, memberId: principal.memberId });
    if (socket.destroyed) return true;
    socket.setTimeout(0);
    socket.setNoDelay(true);
    const sink = new SocketSseSink(socket);
    sink.open(5000, requestId);
    const following = start(sink, { tokenRefreshMs: deps.tokenRefreshMs() });
    socket.once('close', following.stop);
    socket.on('data', () => undefined).resume(); // a client says nothing more; its close is what we wait for
    return true;
  }
}
