import type { RedisClient } from '../redis/redis-client.js';
import type { HoldDeadline, HoldDeadlines } from '../../application/ports/hold-deadlines.js';
import { redisScript, type RedisScript } from '../redis/redis-script.js';

/** Hands due members to one caller and pushes them `lease` ms ahead, so a crashed taker's come back. */
const TAKE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), member) end
return due`;

/**
 * Deadlines in one Redis sorted set (score: epoch ms), shared by every server process of one
 * database (`namespace`: deployments that share a Redis keep apart).
 */
export class RedisHoldDeadlines implements HoldDeadlines {
  private readonly key: string;
  private readonly takeDueScript: RedisScript<string[]>;

  constructor(
    private readonly redis: RedisClient,
    namespace: string,
    private readonly leaseMs = 30_000,
  ) {
    this.key = `onsale:${namespace}:hold-deadlines`;
    this.takeDueScript = redisScript(redis, 'holdDeadlinesTakeDue', TAKE_DUE, 1);
  }

  async schedule(deadline: HoldDeadline): Promise<void> {
    await this.redis.zadd(this.key, deadline.expiresAt.getTime(), member(deadline.holdId, deadline.memberId));
  }

  async cancel(holdId: string, memberId: string): Promise<void> {
    await this.redis.zrem(this.key, member(holdId, memberId));
  }

  async takeDue(now: Date, limit: number): Promise<HoldDeadline[]> {
    const due = await this.takeDueScript(this.key, now.getTime(), limit, now.getTime() + this.leaseMs);
    return due.map((entry) => {
      const [holdId, memberId] = entry.split('|') as [string, string];
      return { holdId, memberId, showId: holdId.slice(0, holdId.indexOf('.')), expiresAt: now };
    });
  }

  async next(): Promise<Date | undefined> {
    const [, score] = await this.redis.zrange(this.key, 0, 0, 'WITHSCORES');
    return score === undefined ? undefined : new Date(Number(score));
  }
}

const member = (holdId: string, memberId: string) => `${holdId}|${memberId}`;
