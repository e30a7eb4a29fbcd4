import { sameSlotGroups, type RedisClient } from '../redis/redis-client.js';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from '../../application/ports/rate-limiter.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { getWithTtl, type ValueWithTtl } from '../redis/get-with-ttl.js';
import { redisScript, type RedisScript } from '../redis/redis-script.js';
import { TickBatcher } from '../tick-batcher.js';
import { strictest } from './strictest-decision.js';

/** A counter to hit and its window in ms. */
interface Hit {
  key: string;
  windowMs: number;
}

/**
 * KEYS: the counters. ARGV: each one's window in ms. Count and expiry in one atomic step per key
 * (the window starts with the key's first hit); answers count and ms left, key after key. On a
 * Cluster the keys (a member's, an address's) fall in different slots: one call per key there, sent
 * together (auto-pipelining); every key is counted whatever the others answer, so nothing is lost.
 */
const HIT = `
local answer = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  table.insert(answer, count)
  table.insert(answer, ttl)
end
return answer`;

/**
 * Fixed windows in Redis, shared by every server process. The hits of one turn of the event loop (a
 * crowd's joins, each counted per address and per member) go in one script call, in the order they
 * came: each key is counted as if alone, one INCR a hit.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly hitScript: RedisScript<number[]>;
  private readonly read: (key: string) => Promise<ValueWithTtl>;
  private readonly hits = new TickBatcher<undefined, Hit[], number[]>((_, calls) => this.count(calls));

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'onsale:rate:',
  ) {
    this.hitScript = redisScript(redis, 'rateLimitHit', HIT, undefined, 1);
    this.read = getWithTtl(redis);
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    return this.hitAll([{ key, limit, windowSeconds }]);
  }

  async hitAll(rules: RateLimitRule[]): Promise<RateLimitDecision> {
    if (rules.length === 0) return { allowed: true, retryAfterSeconds: 0 };
    const hits = rules.map((rule) => ({ key: this.prefix + rule.key, windowMs: Math.ceil(rule.windowSeconds * 1000) }));
    const answer = await this.call(() => this.hits.get('hit', undefined, hits));
    return strictest(rules.map((rule, i) => decision(answer[2 * i]! <= rule.limit, answer[2 * i + 1]!)));
  }

  async peek(key: string, limit: number): Promise<RateLimitDecision> {
    const [count, ttl] = await this.call(() => this.read(this.prefix + key));
    return decision(Number(count ?? 0) < limit || ttl < 0, ttl);
  }

  async reset(key: string): Promise<void> {
    await this.call(() => this.redis.del(this.prefix + key));
  }

  /** Every call's hits counted (one script call on one Redis; one a key on a Cluster): each call's counts and ms left. */
  private async count(calls: Hit[][]): Promise<number[][]> {
    const groups = sameSlotGroups(this.redis, calls.flat());
    const answers = await Promise.all(
      groups.map((group) => this.hitScript(group.length, ...group.map((hit) => hit.key), ...group.map((hit) => hit.windowMs))),
    );
    const flat = answers.flat();
    let at = 0;
    return calls.map((hits) => flat.slice(2 * at, 2 * (at += hits.length)));
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
