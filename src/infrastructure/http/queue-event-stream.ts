import type { ServerResponse } from 'node:http';
import type { QueueSink } from '../../application/admission/queue-follower.js';

export const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no',
};

/**
 * Server-Sent Events written straight to the response: no stream object between (a waiting member
 * holds a connection for minutes, and a hundred thousand of them wait at once).
 */
export class SseSink implements QueueSink {
  constructor(private readonly response: ServerResponse) {}

  /** The head, and how long a client waits before it reconnects. */
  open(retryMs: number): void {
    for (const [name, value] of Object.entries(EVENT_STREAM_HEADERS)) this.response.setHeader(name, value);
    this.response.writeHead(200);
    this.response.write(`retry: ${retryMs}\n\n`);
  }

  event(name: string, data: unknown): void {
    if (this.writable) this.response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    if (this.writable) this.response.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.writable) this.response.end();
  }

  /** Neither ended by us nor closed by the client (a write then would only fail). */
  private get writable(): boolean {
    return !this.response.writableEnded && !this.response.destroyed;
  }
}
