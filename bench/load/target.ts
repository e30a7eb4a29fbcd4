import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SeedOutput, ShowKind } from '../../src/infrastructure/cli/seed-output.js';
import { workerPorts } from '../../src/infrastructure/cluster/worker-ports.js';
import { loadConfig } from '../../src/infrastructure/config/config.js';
import { dropDatabase, startPrivateRedis, type PrivateRedis } from './private-stores.js';
import { pidsNamed, processTree } from './proc-cpu.js';
import { freePort, freePortRun } from '../../tests/support/free-port.js';
import { repoRoot, startNginx, startNode, type Nginx, type Started } from './processes.js';

export interface TargetOptions {
  target?: string;
  serverPid?: number;
  viaNginx?: boolean;
  workers: number;
  /** Behind Nginx: this many waiting-room processes (WAITING_ROOM_WORKERS) take the queue's routes. */
  waitingRoom?: number;
  seedFile?: string;
  members: number;
  shows: ShowKind[];
  capacity: number;
  maxPerMember: number;
  admitPerSecond: number;
  maxActive: number;
  /** Reserved shows: the orphan rule for hand-picked seats (absent: off). */
  orphanSeats?: 'off' | 'warn' | 'refuse';
  mysqlUrl: string;
  /** A Redis to use; when absent, the run starts a redis-server of its own. */
  redisUrl?: string;
  keepDatabase?: boolean;
  /** Extra environment for the server (e.g. HOLD_TTL_SECONDS). */
  env?: Record<string, string>;
}

export interface Target {
  /** Where the load goes: Nginx when --via-nginx, else the server. */
  url: string;
  /** The server itself (the oversell check reads from here). */
  serverUrl: string;
  seed: SeedOutput;
  cpuGroups: Record<string, () => number[]>;
  /** Behind Nginx with ports of their own: each worker's ports, by slot (see WorkerView). */
  workerPorts: number[][];
  label: string;
  /** The run's database and Redis (for checks that read them after the run). */
  databaseUrl: string;
  redisUrl: string;
  /** The server's environment (its stores and secrets), for in-process commands against it. */
  serverEnv: Record<string, string>;
  stop(): Promise<void>;
}

const log = (message: string) => console.error(`[load] ${message}`);

/** Starts a server on a fresh database (unless --target), seeds it, and puts Nginx in front if asked. */
export async function prepareTarget(options: TargetOptions): Promise<Target> {
  let server: Started | undefined;
  let nginx: Nginx | undefined;
  let redis: PrivateRedis | undefined;
  let serverUrl = options.target;
  let portsBySlot: number[][] = [];
  if (!options.target && !options.redisUrl) {
    if (hasRedisServer()) redis = await startPrivateRedis();
    else log('redis-server is not installed: using the shared Redis at redis://127.0.0.1:6379 (or pass --redis-url)');
  }
  // behind Nginx each worker listens on ports of its own too, and Nginx keeps a member on one
  // how many each, as the server reads WORKER_LISTENERS (its default when unset)
  const ports = { WORKER_PORT_BASE: 0, WORKER_LISTENERS: loadConfig({ WORKER_LISTENERS: process.env.WORKER_LISTENERS }).WORKER_LISTENERS };
  const waitingRoom = options.viaNginx ? (options.waitingRoom ?? 0) : 0;
  const processes = options.workers + waitingRoom;
  if (options.viaNginx && processes > 1) ports.WORKER_PORT_BASE = await freePortRun(processes * ports.WORKER_LISTENERS);
  const database = `onsale_load_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const env: Record<string, string> = {
    MYSQL_URL: `${options.mysqlUrl.replace(/\/$/, '')}/${database}`,
    REDIS_URL: options.redisUrl ?? redis?.url ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    WORKERS: String(options.workers),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    // Simulated clients send their own X-Forwarded-For; through Nginx it appends one more entry.
    TRUST_PROXY_HOPS: options.viaNginx ? '2' : '1',
    ...(ports.WORKER_PORT_BASE
      ? { WORKER_PORT_BASE: String(ports.WORKER_PORT_BASE), WORKER_LISTENERS: String(ports.WORKER_LISTENERS) }
      : {}),
    ...(waitingRoom ? { WAITING_ROOM_WORKERS: String(waitingRoom) } : {}),
    ...options.env,
  };
  try {
    if (!serverUrl) {
      log(`starting the server (${options.workers} workers, database ${database})`);
      server = await startNode('src/main.ts', env, await freePort());
      serverUrl = server.url;
    }
    const seed = options.seedFile ? (JSON.parse(readFileSync(options.seedFile, 'utf8')) as SeedOutput) : await seedInProcess(options, env);
    await waitForShows(serverUrl, seed);
    await waitForProjections(serverUrl);
    if (options.viaNginx) {
      // the workers' slots, then the waiting room's: Nginx sends the queue's routes to the latter
      const slots = Array.from({ length: processes }, (_, slot) => slot);
      portsBySlot = server && ports.WORKER_PORT_BASE ? slots.map((slot) => workerPorts(ports, slot)) : [];
      nginx = await startNginx(
        Number(new URL(serverUrl).port),
        portsBySlot.slice(0, options.workers).flat(),
        portsBySlot.slice(options.workers).flat(),
      );
      log(`nginx on ${nginx.url}`);
    }
    const serverPid = server?.pid ?? options.serverPid;
    const cpuGroups: Record<string, () => number[]> = {
      server: () => (serverPid ? processTree(serverPid) : []),
      database: () => [...pidsNamed('mariadbd'), ...pidsNamed('mysqld')],
      redis: () => (redis ? [redis.pid] : pidsNamed('redis-server')),
      load: () => [process.pid],
    };
    if (nginx) cpuGroups.nginx = () => nginx!.pid().flatMap((pid) => processTree(pid));
    return {
      url: nginx?.url ?? serverUrl,
      serverUrl,
      seed,
      cpuGroups,
      workerPorts: portsBySlot,
      label: nginx ? 'nginx → node' : 'node',
      databaseUrl: env.MYSQL_URL!,
      redisUrl: env.REDIS_URL!,
      serverEnv: env,
      stop: async () => {
        nginx?.stop();
        await server?.stop();
        await redis?.stop();
        if (server && !options.keepDatabase) await dropDatabase(env.MYSQL_URL!);
      },
    };
  } catch (error) {
    nginx?.stop();
    if (server) log(`server output:\n${server.output()}`);
    await server?.stop();
    await redis?.stop();
    if (!options.target && !options.keepDatabase) await dropDatabase(env.MYSQL_URL!).catch(() => undefined);
    throw error;
  }
}

async function seedInProcess(options: TargetOptions, env: Record<string, string>): Promise<SeedOutput> {
  if (options.target && !process.env.MYSQL_URL)
    throw new Error('with --target, pass --seed-file or set MYSQL_URL/REDIS_URL/JWT_SECRET of that server');
  const { loadConfig } = await import('../../src/infrastructure/config/config.js');
  const { seedSale } = await import('../../src/infrastructure/cli/seed.command.js');
  const config = loadConfig(options.target ? process.env : { ...process.env, ...env, LOG_LEVEL: 'warn' });
  const started = performance.now();
  const out = path.join(repoRoot, 'data', 'seed.json');
  const seed = await seedSale(config, {
    members: options.members,
    shows: options.shows,
    capacity: options.capacity,
    seats: options.capacity,
    maxTicketsPerMember: options.maxPerMember,
    admitPerSecond: options.admitPerSecond,
    maxActive: options.maxActive,
    orphanSeats: options.orphanSeats,
    // under the password hasher's bound (4 running, 64 waiting): 128 in flight were refused AUTH.BUSY on a loaded machine
    concurrency: 64,
    out,
  });
  log(
    `seeded ${seed.members.length} members and ${seed.shows.length} show(s) in ${((performance.now() - started) / 1000).toFixed(1)} s → ${out}`,
  );
  return seed;
}

async function waitForShows(url: string, seed: SeedOutput): Promise<void> {
  for (const show of seed.shows) {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${url}/api/shows/${show.id}/seats`).catch(() => undefined);
      if (response?.ok) break;
      if (attempt > 200) throw new Error(`show ${show.id} did not appear at ${url} (last status ${response?.status})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Waits until every projection has applied the seed (its lag gauge reads 0): otherwise the run
 * would measure the members projection working through thousands of sign-ups besides the load.
 */
async function waitForProjections(url: string): Promise<void> {
  const started = performance.now();
  for (;;) {
    const text = await fetch(`${url}/metrics`)
      .then((response) => response.text())
      .catch(() => '');
    const lags = [...text.matchAll(/^onsale_projection_lag_positions\{[^}]*\} (\d+)/gm)].map((match) => Number(match[1]));
    // a server without the gauges (another build, /metrics closed) cannot tell: go on
    if (lags.length === 0 || lags.every((lag) => lag === 0)) return;
    if (performance.now() - started > 300_000) throw new Error(`the projections did not catch up with the seed: lags ${lags.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
