import type { RedisClient } from '../redis/redis-client.js';
import type { RateLimiter } from '../../application/ports/rate-limiter.js';
import type { Config } from '../config/config.js';
import { redisNamespace } from '../redis/redis-namespace.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/**
 * Redis when configured (shared by every process of one deployment), else this process's memory.
 * Keys are namespaced by the database in use, so deployments (and test runs) sharing a Redis never
 * count each other's attempts.
 */
export function createRateLimiter(
  redis: RedisClient | undefined,
  config: Pick<Config, 'MYSQL_URL' | 'DATA_DIR' | 'EVENTSTORE_URL'>,
): RateLimiter {
  if (!redis) return new MemoryRateLimiter();
  return new RedisRateLimiter(redis, `onsale:${redisNamespace(config)}:rate:`);
}
