import http from 'node:http';
import type { LoadStats } from './stats.js';

export interface Answer {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/** A keep-alive HTTP/1.1 client for the virtual users: each request is timed and counted. */
export class LoadClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly stats: LoadStats,
    connections: number,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' });
  }

  request(
    label: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const started = performance.now();
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

  close(): void {
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
