import { spawn } from 'node:child_process';
import knexFactory from 'knex';
import { Redis } from 'ioredis';
import { freePort } from '../../tests/support/free-port.js';

export interface PrivateRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * A redis-server of the run's own on a free loopback port: other servers on the shared Redis
 * (tests, benches) neither add their load to the figures nor touch this run's keys.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined); // not up yet: tried again below
    try {
      await redis.connect();
      await redis.ping();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      redis.disconnect();
    }
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Drops the run's database (named in a mysql:// URL). */
export async function dropDatabase(mysqlUrl: string): Promise<void> {
  const parsed = new URL(mysqlUrl);
  const name = parsed.pathname.replace(/^\//, '');
  if (!/^onsale_load_[a-z0-9_]+$/.test(name)) return;
  const admin = knexFactory({
    client: 'mysql2',
    connection: {
      host: parsed.hostname,
      port: Number(parsed.port || 3306),
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
    },
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.destroy();
  }
}
