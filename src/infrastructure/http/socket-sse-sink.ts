import type { Socket } from 'node:net';
import type { QueueSink } from '../../application/admission/queue-follower.js';
import { EVENT_STREAM_HEADERS } from './queue-event-stream.js';

/**
 * Server-Sent Events written to a bare socket, head included: the stream door's sink. The body ends
 * when the connection closes (`Connection: close`, no chunked framing), which every HTTP/1.1
 * client and proxy reads as the end of the response.
 */
export class SocketSseSink implements QueueSink {
  constructor(private readonly socket: Socket) {}

  open(retryMs: number, requestId: string): void {
    const headers = Object.entries({ ...EVENT_STREAM_HEADERS, Connection: 'close', 'X-Request-Id': requestId })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.socket.write(`HTTP/1.1 200 OK\r\n${headers}\r\nretry: ${retryMs}\n\n`);
  }

  event(name: string, data: unknown): void {
    if (this.writable) this.socket.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    if (this.writable) this.socket.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.writable) this.socket.end();
  }

  private get writable(): boolean {
    return !this.socket.writableEnded && !this.socket.destroyed;
  }
}
