import { execFileSync, spawn } from 'node:child_process';
import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, freePortRun } from '../../support/free-port.js';

export interface MainProcess {
  pid: number;
  port: number;
  exited: Promise<number | null>;
  exitCode(): number | null;
  signal(signal: NodeJS.Signals): void;
  kill(): void;
  output(): string;
}

/** Runs `src/main.ts` (as `npm start` would, through tsx) and resolves once /health/live answers. */
export async function startMain(env: Record<string, string>, timeoutMs = 60_000): Promise<MainProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const root = path.resolve(import.meta.dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      JWT_SECRET: randomBytes(24).toString('hex'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let code: number | null = null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve((code = exitCode))));
  const main: MainProcess = {
    pid: child.pid!,
    port,
    exited,
    exitCode: () => code,
    signal: (signal) => void child.kill(signal),
    kill: () => {
      if (code === null) child.kill('SIGKILL');
    },
    output: () => output,
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (code !== null) throw new Error(`main exited with ${code} before answering:\n${output}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/live`);
      if (response.ok && (await allWorkersUp(main, env))) return main;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  main.kill();
  throw new Error(`main did not answer within ${timeoutMs} ms:\n${output}`);
}

/** With several workers, ready once the primary says every worker listens (an info log line). */
async function allWorkersUp(main: MainProcess, env: Record<string, string>): Promise<boolean> {
  return Number(env.WORKERS ?? 1) + Number(env.WAITING_ROOM_WORKERS ?? 0) <= 1 || main.output().includes('all workers listening');
}

/** The child processes of `pid` (the workers of a primary). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The server processes a primary forked (tsx runs an esbuild service beside them, left out). */
export function serverChildren(pid: number): number[] {
  return childPids(pid).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('src/main.ts');
    } catch {
      return false; // gone since pgrep saw it
    }
  });
}

/** The processes holding the listening socket of `port` (from `ss`). */
export { listenerPids as listeners } from '../../../bench/load/proc-cpu.js';

/** The owners of the projections' leases once at least `count` are taken (or what there is after 10 s). */
export async function projectionLeaseOwners(databaseUrl: string, count = 9): Promise<string[]> {
  const knex = knexFactory({ client: 'mysql2', connection: databaseUrl, pool: { min: 0, max: 1 } });
  try {
    let owners: string[] = [];
    for (let attempt = 0; attempt < 50 && owners.length < count; attempt++) {
      owners = (await knex('projection_leases').select('owner')).map((row: { owner: string }) => row.owner);
      if (owners.length < count) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return owners;
  } finally {
    await knex.destroy();
  }
}

/**
 * Free ports for a primary whose `slots` processes each listen alone on one port (WORKER_LISTENERS=1)
 * and have a booking door: `base + slot` and `booking + slot`, and `env` that says so.
 */
export async function ownPorts(slots: number): Promise<{ base: number; booking: number; env: Record<string, string> }> {
  const port = await freePort();
  const base = await freePortRun(slots, [port]);
  const booking = await freePortRun(slots, [port, ...Array.from({ length: slots }, (_, i) => base + i)]);
  return {
    base,
    booking,
    env: { PORT: String(port), WORKER_PORT_BASE: String(base), WORKER_LISTENERS: '1', BOOKING_PORT_BASE: String(booking) },
  };
}
