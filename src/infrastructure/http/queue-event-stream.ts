import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { QueueSink } from '../../application/admission/queue-follower.js';
import { rawHead } from './raw-head.js';

export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
};

/**
 * Server-Sent Events written straight to the connection: no stream object between (a waiting member
 * holds a connection for minutes, and a hundred thousand of them wait at once). The framing is
 * here; a subclass says where the bytes go: Node's response, or an upgraded request's bare socket.
 */
export abstract class SseSink implements QueueSink {
  /** The head, and how long a client waits before it reconnects. */
  open(retryMs: number): void {
    this.begin(`retry: ${retryMs}\n\n`);
  }

  event(name: string, data: unknown): void {
    if (this.writable) this.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    if (this.writable) this.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.writable) this.close();
  }

  /** The 200 and its head, then `first`. */
  protected abstract begin(first: string): void;
  protected abstract write(text: string): void;
  protected abstract close(): void;
  /** Neither ended by us nor closed by the client (a write then would only fail). */
  protected abstract get writable(): boolean;
}

/** On Node's response (the Koa route). */
export class ResponseSseSink extends SseSink {
  constructor(private readonly response: ServerResponse) {
    super();
  }

  protected begin(first: string): void {
    for (const [name, value] of Object.entries(EVENT_STREAM_HEADERS)) this.response.setHeader(name, value);
    this.response.writeHead(200);
    this.response.write(first);
  }

  protected write(text: string): void {
    this.response.write(text);
  }

  protected close(): void {
    this.response.end();
  }

  protected get writable(): boolean {
    return !this.response.writableEnded && !this.response.destroyed;
  }
}

/**
 * On the socket of an upgraded request, which Node's HTTP server has let go (event-stream-upgrade.ts):
 * the head is ours to write, and the body lasts as long as the connection.
 */
export class SocketSseSink extends SseSink {
  constructor(
    private readonly socket: Socket,
    private readonly requestId: string,
  ) {
    super();
  }

  protected begin(first: string): void {
    this.socket.write(rawHead(200, { ...EVENT_STREAM_HEADERS, 'X-Request-Id': this.requestId }) + first);
  }

  protected write(text: string): void {
    this.socket.write(text);
  }

  protected close(): void {
    // the stream is over: no need to wait for the client's end of the connection
    this.socket.destroySoon();
  }

  protected get writable(): boolean {
    return this.socket.writable && !this.socket.destroyed;
  }
}
