import type { Socket } from 'node:net';
import type { QueueSink } from '../../application/admission/queue-follower.js';
import { EVENT_STREAM_HEADERS } from './queue-event-stream.js';

/**
 * Server-Sent Events written to a bare socket, head included: the stream door's sink. The body is
 * chunked as Node's own would be (each write one chunk, the last chunk at the end), and the
 * connection closes after it (`Connection: close`): it carried this one stream.
 */
export class SocketSseSink implements QueueSink {
  constructor(private readonly socket: Socket) {}

  open(retryMs: number, requestId: string): void {
    const headers = Object.entries({
      ...EVENT_STREAM_HEADERS,
      'Transfer-Encoding': 'chunked',
      Connection: 'close',
      'X-Request-Id': requestId,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.socket.write(`HTTP/1.1 200 OK\r\n${headers}\r\n${chunk(`retry: ${retryMs}\n\n`)}`);
  }

  event(name: string, data: unknown): void {
    if (this.writable) this.socket.write(chunk(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
  }

  comment(text: string): void {
    if (this.writable) this.socket.write(chunk(`: ${text}\n\n`));
  }

  end(): void {
    if (this.writable) this.socket.end('0\r\n\r\n');
  }

  private get writable(): boolean {
    return !this.socket.writableEnded && !this.socket.destroyed;
  }
}

/** One chunk of a chunked body: its length in bytes (hex), the bytes. */
function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}
