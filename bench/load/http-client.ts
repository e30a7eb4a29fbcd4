import http from 'node:http';
import { RawConnections } from './raw-connections.js';
import { SseParser, type SseEvent } from './sse-parser.js';
import type { LoadStats } from './stats.js';

export interface Answer {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/** How a Server-Sent Events listen ended, and the event it was waiting for when one came. */
export interface Heard {
  /** The stream's HTTP status; 0 when there was no answer or the stream broke. */
  status: number;
  ended: 'matched' | 'end' | 'deadline' | 'refused' | 'failed';
  event?: SseEvent;
  /** A refused stream's answer (problem+json). */
  body?: any;
  headers: http.IncomingHttpHeaders;
}

export interface ListenOptions {
  token?: string;
  headers?: Record<string, string>;
  /** The first event this accepts ends the listen. */
  until(event: SseEvent): boolean;
  /** performance.now() at which to give up. */
  deadline: number;
}

export interface LoadClientOptions {
  /** Requests over raw sockets (raw-connections.ts) instead of Node's HTTP client; event streams stay on Node's. */
  raw?: boolean;
  timeoutMs?: number;
}

/** A keep-alive HTTP/1.1 client for the virtual users: each request is timed and counted. */
export class LoadClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly raw: RawConnections | undefined;
  private readonly timeoutMs: number;

  constructor(
    baseUrl: string,
    private readonly stats: LoadStats,
    connections: number,
    options: LoadClientOptions = {},
  ) {
    this.base = new URL(baseUrl);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' });
    if (options.raw) this.raw = new RawConnections(this.base.hostname, Number(this.base.port), connections, this.timeoutMs);
  }

  request(
    label: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const started = performance.now();
    // requestText adds content-type and content-length itself
    if (this.raw) return this.rawRequest(label, method, path, headers, options.body, started);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise<Answer>((resolve) => {
      const req = http.request(
        { host: this.base.hostname, port: this.base.port, method, path, headers, agent: this.agent, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const body = parseBody(text);
            const status = res.statusCode ?? 0;
            this.stats.record(label, status, performance.now() - started, status >= 400 ? body?.code : undefined);
            resolve({ status, body, headers: res.headers });
          });
          res.on('error', () => fail());
        },
      );
      const fail = () => {
        this.stats.record(label, 0, performance.now() - started);
        resolve({ status: 0, body: undefined, headers: {} });
      };
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', fail);
      req.end(payload);
    });
  }

  private async rawRequest(
    label: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: unknown,
    started: number,
  ): Promise<Answer> {
    const answer = await this.raw!.send(method, path, headers, body);
    if (!answer) {
      this.stats.record(label, 0, performance.now() - started);
      return { status: 0, body: undefined, headers: {} };
    }
    const parsed = parseBody(answer.text);
    this.stats.record(label, answer.status, performance.now() - started, answer.status >= 400 ? parsed?.code : undefined);
    return { status: answer.status, body: parsed, headers: answer.headers };
  }

  /**
   * Opens a Server-Sent Events stream on the same agent (so it takes one of the connections) and
   * waits for the first event `until` accepts, the stream's end or the deadline; then destroys the
   * request, which frees the agent's slot for the virtual user's next request. Recorded under
   * `label` as a wait: counted as a request, its time (until the event) kept out of percentiles.
   */
  listen(label: string, path: string, options: ListenOptions): Promise<Heard> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const started = performance.now();
    return new Promise<Heard>((resolve) => {
      let settled = false;
      let status = 0;
      let answerHeaders: http.IncomingHttpHeaders = {};
      // the deadline before the stream answered: recorded as cut, not as a failure
      const timer = setTimeout(() => settle({ status, ended: 'deadline' }), Math.max(0, options.deadline - performance.now()));
      const settle = (heard: Omit<Heard, 'headers'>, code?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const recorded = heard.ended === 'deadline' && heard.status === 0 ? 'cut' : heard.status;
        this.stats.recordWait(label, recorded, performance.now() - started, code);
        resolve({ ...heard, headers: answerHeaders });
        if (heard.ended !== 'end' && heard.ended !== 'refused') req.destroy();
      };
      const req = http.request(
        { host: this.base.hostname, port: this.base.port, method: 'GET', path, headers, agent: this.agent, timeout: this.timeoutMs },
        (res) => {
          status = res.statusCode ?? 0;
          answerHeaders = res.headers;
          res.on('error', () => settle({ status: 0, ended: 'failed' }));
          if (status !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const body = parseBody(Buffer.concat(chunks).toString('utf8'));
              settle({ status, ended: 'refused', body }, status >= 400 ? body?.code : undefined);
            });
            return;
          }
          const parser = new SseParser();
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            if (settled) return;
            const event = parser.push(text).find((candidate) => options.until(candidate));
            if (event) settle({ status, ended: 'matched', event });
          });
          res.on('end', () => settle({ status, ended: 'end' }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => settle({ status: 0, ended: 'failed' }));
      req.end();
    });
  }

  close(): void {
    this.raw?.close();
    this.agent.destroy();
  }
}

function parseBody(text: string): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
