import type { Redis } from 'ioredis';
import type { RateLimiter } from '../../application/ports/rate-limiter.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** Redis when configured (shared by every process), else this process's memory. */
export function createRateLimiter(redis: Redis | undefined): RateLimiter {
  return redis ? new RedisRateLimiter(redis) : new MemoryRateLimiter();
}
