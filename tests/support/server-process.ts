import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A server started as its own process (`node --import tsx src/main.ts`) on a free port. */
export interface ServerProcess {
  port: number;
  child: ChildProcess;
  /** Everything it printed since it was spawned, start-up included. */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Starts `src/main.ts` with PORT=0 and learns its port from the "onsale listening" log line.
 * `preload`: modules (paths from the repository root) imported before the server, after tsx.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000, preload: string[] = []): Promise<ServerProcess> {
  // e.g. SERVER_NODE_ARGS=--cpu-prof to profile the server of a bench
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const imports = preload.flatMap((module) => ['--import', pathToFileURL(path.join(ROOT, module)).href]);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...imports, 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORKERS: '1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"onsale listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    port,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export interface JsonReply {
  status: number;
  body: any;
}

/** A small keep-alive JSON client with a bounded number of sockets (fetch opens one per request in flight). */
export class JsonClient {
  private readonly agent: http.Agent;

  constructor(maxSockets = 128) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(
    port: number,
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<JsonReply> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (payload) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: this.agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
