import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimiter } from '../../application/ports/rate-limiter.js';
import { DomainError } from '../../domain/shared/domain-error.js';

// Count and expiry in one atomic step; the window starts with the first hit.
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Fixed windows in Redis, shared by every server process. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'onsale:rate:',
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const [count, ttl] = (await this.call(() => this.redis.eval(HIT, 1, this.prefix + key, Math.ceil(windowSeconds * 1000)))) as [
      number,
      number,
    ];
    return decision(count <= limit, ttl);
  }

  async peek(key: string, limit: number): Promise<RateLimitDecision> {
    const results = await this.call(() =>
      this.redis
        .multi()
        .get(this.prefix + key)
        .pttl(this.prefix + key)
        .exec(),
    );
    const count = Number(results?.[0]?.[1] ?? 0);
    const ttl = Number(results?.[1]?.[1] ?? -2);
    return decision(count < limit || ttl < 0, ttl);
  }

  async reset(key: string): Promise<void> {
    await this.call(() => this.redis.del(this.prefix + key));
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const unavailable = new DomainError(
        'unavailable',
        'RATE_LIMIT.UNAVAILABLE',
        'Attempts cannot be counted right now; try again shortly',
        undefined,
        1,
      );
      throw Object.assign(unavailable, { cause: error });
    }
  }
}

function decision(allowed: boolean, ttlMs: number): RateLimitDecision {
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ttlMs / 1000)) };
}
