/**
 * Just enough HTTP/1.1 for the crowd client, over a raw socket: a request is a string written as
 * is, an answer is read by `ResponseReader` (status, headers, a body by Content-Length, chunked, or
 * until the connection closes (an upgraded event stream), delivered as it arrives so that an event stream can be read while it lasts). An HTTP library's
 * objects per request cost more than the server's per waiter that the run measures.
 */
export interface Head {
  status: number;
  headers: Map<string, string>;
}

export interface ResponseHandler {
  head(head: Head): void;
  /** Body text as it arrives (latin1: the answers are ASCII). */
  data(text: string): void;
  /** The body is complete (never for an event stream that the server keeps open). */
  end(): void;
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  UntilClose,
}

/** Reads consecutive answers on one kept-alive connection. */
export class ResponseReader {
  private state = State.Head;
  private buffer = '';
  private remaining = 0;
  private lastChunk = false;
  private stopped = false;

  constructor(private handler: ResponseHandler) {}

  /** The next answer on this connection goes to another handler. */
  use(handler: ResponseHandler): void {
    this.handler = handler;
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.buffer += chunk.toString('latin1');
    while (!this.stopped && this.step());
  }

  /** Reads nothing more (the connection is being dropped). */
  stop(): void {
    this.stopped = true;
    this.buffer = '';
  }

  /** One state transition on the buffer; false when it needs more bytes. */
  private step(): boolean {
    switch (this.state) {
      case State.Head: {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return false;
        const lines = this.buffer.slice(0, end).split('\r\n');
        this.buffer = this.buffer.slice(end + 4);
        const status = Number(lines[0]!.split(' ')[1]);
        const headers = new Map<string, string>();
        for (let i = 1; i < lines.length; i++) {
          const colon = lines[i]!.indexOf(':');
          headers.set(lines[i]!.slice(0, colon).toLowerCase(), lines[i]!.slice(colon + 1).trim());
        }
        this.handler.head({ status, headers });
        if (headers.get('transfer-encoding') === 'chunked') this.state = State.ChunkSize;
        else if (!headers.has('content-length') && headers.get('connection') === 'close' && status === 200) this.state = State.UntilClose;
        else {
          this.remaining = Number(headers.get('content-length') ?? 0);
          this.state = State.Length;
        }
        return true;
      }
      case State.Length: {
        const take = Math.min(this.remaining, this.buffer.length);
        if (take > 0) this.handler.data(this.buffer.slice(0, take));
        this.buffer = this.buffer.slice(take);
        this.remaining -= take;
        if (this.remaining > 0) return false;
        this.state = State.Head;
        this.handler.end();
        return true;
      }
      case State.UntilClose: {
        if (this.buffer.length === 0) return false;
        this.handler.data(this.buffer);
        this.buffer = '';
        return false;
      }
      case State.ChunkSize: {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) return false;
        this.remaining = parseInt(this.buffer.slice(0, end), 16);
        this.buffer = this.buffer.slice(end + 2);
        this.lastChunk = this.remaining === 0;
        this.state = this.lastChunk ? State.ChunkEnd : State.ChunkData;
        return true;
      }
      case State.ChunkData: {
        const take = Math.min(this.remaining, this.buffer.length);
        if (take > 0) this.handler.data(this.buffer.slice(0, take));
        this.buffer = this.buffer.slice(take);
        this.remaining -= take;
        if (this.remaining > 0) return false;
        this.state = State.ChunkEnd;
        return true;
      }
      case State.ChunkEnd: {
        if (this.buffer.length < 2) return false;
        this.buffer = this.buffer.slice(2);
        // the CRLF after a chunk's data, or after the last (empty) chunk: then the answer is over
        this.state = this.lastChunk ? State.Head : State.ChunkSize;
        if (this.lastChunk) this.handler.end();
        return true;
      }
    }
  }
}

/** A request as text: method, path, headers (Host and Content-Length added), an optional JSON body. */
export function requestText(method: string, path: string, headers: Record<string, string>, body?: unknown): string {
  const text = body === undefined ? '' : JSON.stringify(body);
  let head = `${method} ${path} HTTP/1.1\r\nhost: onsale\r\ncontent-length: ${Buffer.byteLength(text)}\r\n`;
  if (body !== undefined) head += 'content-type: application/json\r\n';
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return `${head}\r\n${text}`;
}
