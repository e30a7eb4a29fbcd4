import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedisCluster, type RedisCluster } from '../../bench/redis-cluster.js';
import type { RedisClient } from '../../src/infrastructure/redis/redis-client.js';

export type { RedisCluster } from '../../bench/redis-cluster.js';

let shared: Promise<RedisCluster> | undefined;

/**
 * The Redis Cluster of ops/redis-cluster/cluster.sh (3 masters, 3 replicas), started once per test
 * process (about 3 s) and shared by every suite that asks; stopped when the process exits. Skips the
 * suite when redis-server or redis-cli is missing, saying so (fails under CI=true). Suites that kill
 * nodes start them again before they end, so that the next suite finds a whole cluster.
 */
export async function redisCluster(context: Mocha.Context): Promise<RedisCluster> {
  const missing = ['redis-server', 'redis-cli'].filter((tool) => spawnSync(tool, ['--version']).error !== undefined);
  if (missing.length > 0) {
    if (process.env.CI === 'true') throw new Error(`Redis Cluster tests need ${missing.join(' and ')} under CI=true`);
    console.warn(`      (skipped: no Redis Cluster here: ${missing.join(' and ')} not installed)`);
    context.skip();
  }
  context.timeout(60_000);
  shared ??= startRedisCluster();
  shared.catch(() => (shared = undefined));
  return shared;
}

/**
 * The node (1..6) that is master of this key's slot now, asked through `redis` (a node that is down
 * or a slot map still settling after a failover is asked again every 100 ms, `attempts` times).
 */
export async function masterOf(redis: RedisClient, cluster: RedisCluster, key: string, attempts: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const slot = (await redis.cluster('KEYSLOT', key)) as number;
      const ranges = (await redis.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
      const port = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      return [1, 2, 3, 4, 5, 6].find((node) => cluster.port(node) === port)!;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(100);
    }
  }
}
