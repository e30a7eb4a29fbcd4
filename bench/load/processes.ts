import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../tests/support/free-port.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface Started {
  pid: number;
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/** Starts a TypeScript entry point through tsx and waits for `readyPath` to answer 200. */
export async function startNode(entry: string, env: Record<string, string>, port: number, readyPath = '/health/live'): Promise<Started> {
  // e.g. SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server (and its workers)
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // e.g. SERVER_OUTPUT=/tmp/server.log with SERVER_NODE_ARGS=--trace-gc-nvp: every line the server (and its workers) wrote
  const copyTo = process.env.SERVER_OUTPUT;
  const keep = (chunk: Buffer) => {
    if (copyTo) appendFileSync(copyTo, chunk);
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const started: Started = { pid: child.pid!, url, stop: () => stopChild(child), output: () => output };
  const workers = Number(env.WORKERS ?? 1);
  for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(url + readyPath).then(
      (response) => response.ok,
      () => false,
    );
    if (ready && (workers <= 1 || output.includes('all workers listening'))) return started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await started.stop();
  throw new Error(`${entry} did not become ready:\n${output}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface Nginx {
  url: string;
  pid(): number[];
  stop(): void;
}

/**
 * Runs ops/nginx/run.sh on a free port (installs nginx when absent) in front of the server, or of
 * each worker's own port when given (a member's requests then stay on one worker).
 */
export async function startNginx(upstreamPort: number, workerPorts: number[] = [], waitingRoomPorts: number[] = []): Promise<Nginx> {
  const port = await freePort();
  const prefix = path.join(process.env.TMPDIR ?? '/tmp', `onsale-nginx-load-${port}`);
  const env = {
    ...process.env,
    NGINX_LISTEN: `127.0.0.1:${port}`,
    ONSALE_UPSTREAM: `127.0.0.1:${upstreamPort}`,
    ...(workerPorts.length > 1 ? { ONSALE_UPSTREAMS: workerPorts.map((port) => `127.0.0.1:${port}`).join(',') } : {}),
    ...(waitingRoomPorts.length ? { ONSALE_WAITING_ROOM_UPSTREAMS: waitingRoomPorts.map((port) => `127.0.0.1:${port}`).join(',') } : {}),
    NGINX_PREFIX: prefix,
    // Every virtual user comes from 127.0.0.1: a per-address join limit would throttle them all as one.
    QUEUE_JOIN_RATE: process.env.QUEUE_JOIN_RATE ?? '100000r/s',
    QUEUE_JOIN_BURST: process.env.QUEUE_JOIN_BURST ?? '100000',
  };
  const script = path.join(repoRoot, 'ops/nginx/run.sh');
  execFileSync('bash', [script, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const master = () => {
    try {
      return Number(execFileSync('cat', [path.join(prefix, 'nginx.pid')], { encoding: 'utf8' }).trim());
    } catch {
      return 0;
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: () => [master()].filter(Boolean),
    stop: () => {
      execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
