import { readFileSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import { ConfigError, type Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { parseClusterNodes } from './cluster-nodes.js';
import { redisTlsOptions } from './redis-connection.js';
import type { RedisClient } from './redis-client.js';

type RedisConfig = Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_PASSWORD' | 'REDIS_TLS_CA'>;

/**
 * The process's Redis client: a Cluster client when REDIS_CLUSTER_NODES is set, else one server
 * (REDIS_URL), else none (embedded). Called by the composition root only.
 *
 * Fails fast while Redis is down (no offline queue), and reconnects by itself when it returns.
 * Auto-pipelining: the commands of one turn of the event loop (rate limits, turns, deadlines,
 * cache reads, hints) leave in one write and come back in one read: under a burst the CPU-bound
 * loop pays a syscall per batch instead of per command (on a Cluster: one batch per node). Safe
 * here: nothing on this connection blocks (a BLPOP would hold up every batch behind it) and nothing
 * uses MULTI (ioredis keeps it out of the batches anyway); subscribers are duplicates where
 * SUBSCRIBE is never batched. Still fail-fast: with Redis gone a command fails at once, except in
 * the first ~200 ms, when it waits behind the batch that was in flight until ioredis gives that one
 * up (one retry) — as on the waiting room's connection.
 */
export function connectRedis(config: RedisConfig, logger: Logger): RedisClient | undefined {
  if (config.REDIS_CLUSTER_NODES) return connectCluster(config, logger);
  if (!config.REDIS_URL) return undefined;
  const redis = new Redis(config.REDIS_URL, {
    ...redisTlsOptions(config),
    lazyConnect: false,
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  return redis;
}

/**
 * The same promises on a Cluster: ioredis reads the slot map from any seed node, sends each command
 * to the master of its key's slot, follows MOVED/ASK, and after a failover (CLUSTERDOWN, or a node
 * that stops answering) retries for a short while on the new map before failing the command.
 */
function connectCluster(config: RedisConfig, logger: Logger): Cluster {
  const seeds = parseClusterNodes(config.REDIS_CLUSTER_NODES!, config.REDIS_PASSWORD);
  const cluster = new Cluster(seeds.nodes, {
    lazyConnect: false,
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
    redisOptions: {
      username: seeds.username,
      password: seeds.password,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      ...(seeds.tls ? { tls: config.REDIS_TLS_CA ? { ca: readCa(config.REDIS_TLS_CA) } : {} } : {}),
    },
  });
  cluster.on('error', (error) => logger.warn({ err: error }, 'redis cluster error'));
  return cluster;
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`REDIS_TLS_CA: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}
