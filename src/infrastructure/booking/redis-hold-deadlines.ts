import type { RedisClient } from '../redis/redis-client.js';
import type { HoldDeadline, HoldDeadlines } from '../../application/ports/hold-deadlines.js';
import { redisScript, type RedisScript } from '../redis/redis-script.js';
import { TickWriter } from '../tick-writer.js';

/** Hands due members to one caller and pushes them `lease` ms ahead, so a crashed taker's come back. */
const TAKE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), member) end
return due`;

/**
 * Deadlines in one Redis sorted set (score: epoch ms), shared by every server process of one
 * database (`namespace`: deployments that share a Redis keep apart). Every hold schedules one and
 * every confirm cancels one: those of one turn of the event loop go in one ZADD and one ZREM.
 */
export class RedisHoldDeadlines implements HoldDeadlines {
  private readonly key: string;
  private readonly takeDueScript: RedisScript<string[]>;
  private readonly scheduled: TickWriter<[number, string]>;
  private readonly cancelled: TickWriter<string>;

  constructor(
    private readonly redis: RedisClient,
    namespace: string,
    private readonly leaseMs = 30_000,
  ) {
    this.key = `onsale:${namespace}:hold-deadlines`;
    this.takeDueScript = redisScript(redis, 'holdDeadlinesTakeDue', TAKE_DUE, 1);
    // in the order they came: a member given twice keeps its last score, as one ZADD each would
    this.scheduled = new TickWriter(async (entries) => void (await this.redis.zadd(this.key, ...entries.flat())));
    this.cancelled = new TickWriter(async (members) => void (await this.redis.zrem(this.key, ...members)));
  }

  schedule(deadline: HoldDeadline): Promise<void> {
    return this.scheduled.write([deadline.expiresAt.getTime(), member(deadline.holdId, deadline.memberId)]);
  }

  cancel(holdId: string, memberId: string): Promise<void> {
    return this.cancelled.write(member(holdId, memberId));
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
