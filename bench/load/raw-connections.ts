import net from 'node:net';
import { ResponseReader, requestText, type Head, type ResponseHandler } from './crowd/raw-http.js';

export interface RawAnswer {
  status: number;
  /** The body as it came (utf-8). */
  text: string;
  headers: Record<string, string>;
}

/**
 * Kept-alive connections over raw sockets, at most `max`, each carrying one request at a time: the
 * load client's requests without an HTTP library's objects per request (Node's agent, request and
 * response streams cost the client about as much CPU as a bare route costs the server, and the
 * client shares the box with it). An answer is read by the crowd's `ResponseReader`.
 */
export class RawConnections {
  private readonly free: RawConnection[] = [];
  private readonly waiting: ((connection: RawConnection) => void)[] = [];
  private open = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly max: number,
    private readonly timeoutMs: number,
  ) {}

  /** The answer, or undefined when the connection failed, closed or timed out before it. */
  async send(method: string, path: string, headers: Record<string, string>, body: unknown): Promise<RawAnswer | undefined> {
    const connection = await this.take();
    return connection.send(requestText(method, path, headers, body), this.timeoutMs);
  }

  close(): void {
    for (const connection of this.free.splice(0)) connection.destroy();
  }

  private take(): Promise<RawConnection> | RawConnection {
    const kept = this.free.pop();
    if (kept) return kept;
    if (this.open < this.max) return this.connect();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A connection done with its answer: to the next request waiting, or kept for the next one. */
  release(connection: RawConnection): void {
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.free.push(connection);
  }

  /** A connection gone: its place may be taken by a new one. */
  dropped(connection: RawConnection): void {
    const at = this.free.indexOf(connection);
    if (at >= 0) this.free.splice(at, 1);
    this.open--;
    const next = this.waiting.shift();
    if (next) next(this.connect());
  }

  private connect(): RawConnection {
    this.open++;
    return new RawConnection(net.connect({ host: this.host, port: this.port, noDelay: true }), this);
  }
}

class RawConnection implements ResponseHandler {
  private readonly reader = new ResponseReader(this);
  private pending: ((answer: RawAnswer | undefined) => void) | undefined;
  private answerHead: Head | undefined;
  private chunks: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private gone = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly pool: RawConnections,
  ) {
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  send(text: string, timeoutMs: number): Promise<RawAnswer | undefined> {
    if (this.gone) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.pending = resolve;
      this.timer = setTimeout(() => this.destroy(), timeoutMs);
      this.socket.write(text);
    });
  }

  head(head: Head): void {
    this.answerHead = head;
  }

  data(text: string): void {
    this.chunks.push(text);
  }

  end(): void {
    const { answerHead: head, pending } = this;
    clearTimeout(this.timer);
    // latin1 keeps every byte as one character: back to the bytes, then read as utf-8
    const text = Buffer.from(this.chunks.join(''), 'latin1').toString('utf8');
    this.pending = undefined;
    this.answerHead = undefined;
    this.chunks = [];
    if (!head || !pending) return;
    const headers = Object.fromEntries(head.headers);
    if (headers.connection === 'close') this.destroy();
    else this.pool.release(this);
    pending({ status: head.status, text, headers });
  }

  destroy(): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.timer);
    this.reader.stop();
    this.socket.destroy();
    this.pool.dropped(this);
    const pending = this.pending;
    this.pending = undefined;
    pending?.(undefined);
  }
}
