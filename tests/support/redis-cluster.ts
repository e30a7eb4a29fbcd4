import { spawnSync } from 'node:child_process';
import { startRedisCluster, type RedisCluster } from '../../bench/redis-cluster.js';

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
