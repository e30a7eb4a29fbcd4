import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { RateLimiter } from '../../application/ports/rate-limiter.js';
import type { Config } from '../config/config.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/**
 * Redis when configured (shared by every process of one deployment), else this process's memory.
 * Keys are namespaced by the database in use, so deployments (and test runs) sharing a Redis never
 * count each other's attempts.
 */
export function createRateLimiter(redis: Redis | undefined, config: Pick<Config, 'MYSQL_URL' | 'DATA_DIR'>): RateLimiter {
  if (!redis) return new MemoryRateLimiter();
  const identity = config.MYSQL_URL ?? path.resolve(config.DATA_DIR);
  const namespace = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return new RedisRateLimiter(redis, `onsale:rate:${namespace}:`);
}
