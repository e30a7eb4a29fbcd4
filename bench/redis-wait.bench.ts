import { RedisAdmissionQueue, type RedisAdmissionQueueOptions } from '../src/infrastructure/admission/redis-admission-queue.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import { createLogger } from '../src/infrastructure/logging/logger.js';
import { connectRedis } from '../src/infrastructure/redis/connect-redis.js';
import { startRedisCluster } from './redis-cluster.js';

/**
 * What WAIT 1 costs the waiting room on a Redis Cluster (REDIS_WAIT_REPLICAS): joins of distinct
 * members, `BENCH_CONCURRENCY` (50) at a time through the server's own client, on a cluster started
 * for the run (3 masters, 3 replicas, loopback), without WAIT (the baseline) and with it, each case
 * twice (the first pass warms up). `BENCH_JOINS` (20,000) per case, spread over 8 shows.
 */
const JOINS = Number(process.env.BENCH_JOINS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const lease = { leaseMs: 60_000, maxSessionMs: 600_000 };

async function main(): Promise<void> {
  const cluster = await startRedisCluster();
  const redis = connectRedis(loadConfig({ REDIS_CLUSTER_NODES: cluster.nodes }), createLogger('silent'))!;
  try {
    // no offline queue: commands fail until the client has read the slot map
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    const cases: [string, RedisAdmissionQueueOptions][] = [
      ['no WAIT (baseline)', {}],
      ['WAIT 1 (REDIS_WAIT_REPLICAS=1)', { replication: { replicas: 1, timeoutMs: 100 } }],
    ];
    const rows: [string, number][] = [];
    for (let pass = 0; pass < 2; pass++) {
      rows.length = 0;
      for (const [name, options] of cases)
        rows.push([name, await joinsPerSecond(new RedisAdmissionQueue(redis, `bench:${pass}:${name.length}`, options))]);
    }
    const baseline = rows[0]![1];
    console.log(`| ${JOINS} joins, ${CONCURRENCY} at a time, Redis Cluster on loopback | joins/s | × no WAIT |`);
    console.log('| --- | ---: | ---: |');
    for (const [name, rate] of rows) console.log(`| ${name} | ${Math.round(rate)} | ${(rate / baseline).toFixed(2)} |`);
  } finally {
    redis.disconnect();
    await cluster.remove();
  }
}

async function joinsPerSecond(queue: RedisAdmissionQueue): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < JOINS) {
      const i = next++;
      await queue.join(`show-${i % 8}`, `m${i}`, Date.now(), 0, lease);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return JOINS / ((performance.now() - started) / 1000);
}

await main();
