import type { RedisClient } from './redis-client.js';
import { redisScript } from './redis-script.js';

// `or false`: a missing value stays in the reply as nil instead of cutting the table short
const GET_WITH_TTL = `return {redis.call('GET', KEYS[1]) or false, redis.call('PTTL', KEYS[1])}`;

/** A key's value and its milliseconds to live (-2: no key, -1: no expiry). */
export type ValueWithTtl = [value: string | null, ttlMs: number];

/** Reads a value and its time to live in one atomic command, where MULTI GET PTTL EXEC took four. */
export function getWithTtl(redis: RedisClient): (key: string) => Promise<ValueWithTtl> {
  const run = redisScript<ValueWithTtl>(redis, 'getWithTtl', GET_WITH_TTL, 1);
  return (key) => run(key);
}
