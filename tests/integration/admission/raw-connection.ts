import net from 'node:net';

export interface RawReply {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/**
 * One client connection as bytes, for what fetch cannot send (Connection: Upgrade) or show (which
 * request of a kept-alive connection answered what): requests written as text, answers read back.
 */
export class RawConnection {
  private text = '';
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(method: string, path: string, headers: Record<string, string> = {}): void {
    let head = `${method} ${path} HTTP/1.1\r\nhost: onsale.test\r\ncontent-length: 0\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    this.socket.write(`${head}\r\n`);
  }

  /** The next answer's status and head; its body (by Content-Length) too when it has one. */
  async reply(ms = 10_000): Promise<RawReply> {
    const end = await this.until(() => this.text.indexOf('\r\n\r\n'), ms);
    const lines = this.text.slice(0, end).split('\r\n');
    this.text = this.text.slice(end + 4);
    const headers = new Map(
      lines.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers.get('content-length') ?? 0);
    await this.until(() => (this.text.length >= length ? 0 : -1), ms);
    // read as latin1 (one char a byte, as Content-Length counts), the body is UTF-8
    const body = Buffer.from(this.text.slice(0, length), 'latin1').toString('utf8');
    this.text = this.text.slice(length);
    return { status: Number(lines[0]!.split(' ')[1]), headers, body };
  }

  /** The text read after the last answer's head until `done` holds (or the connection closes). */
  async stream(done: (text: string) => boolean, ms = 15_000): Promise<string> {
    await this.until(() => (done(this.text) ? 0 : -1), ms);
    return this.text;
  }

  /** Resolves once the server has closed the connection. */
  async whenClosed(ms = 5000): Promise<void> {
    await this.until(() => (this.closed ? 0 : -1), ms).catch((error: Error) => {
      if (!this.closed) throw error;
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async until(found: () => number, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const at = found();
      if (at >= 0) return at;
      if (this.closed || Date.now() > deadline)
        throw new Error(`no answer (closed: ${this.closed}); read so far: ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
