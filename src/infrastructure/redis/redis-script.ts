import type { Redis } from 'ioredis';

type Arg = string | number;

/** Runs a script with its keys, then its arguments; when its key count varies, that count comes first. */
export type RedisScript<T> = (...args: Arg[]) => Promise<T>;

const defined = new WeakMap<Redis, Map<string, string>>();

/**
 * `lua` as a command of this client (`defineCommand`): ioredis sends EVALSHA, and the body itself
 * only once per connection and again after NOSCRIPT (a restarted or flushed Redis), so Redis neither
 * reads nor hashes the body on every call. Instances sharing a client share the definition.
 */
export function redisScript<T>(redis: Redis, name: string, lua: string, numberOfKeys?: number): RedisScript<T> {
  const scripts = defined.get(redis) ?? new Map<string, string>();
  defined.set(redis, scripts);
  const known = scripts.get(name);
  if (known === undefined) {
    // a built-in command or another module's script of that name would be shadowed or mistaken for ours
    if (name in redis) throw new Error(`the Redis client already has a command named ${name}`);
    redis.defineCommand(name, { lua, numberOfKeys });
    scripts.set(name, lua);
  } else if (known !== lua) {
    throw new Error(`another script is already defined as ${name}`);
  }
  const command = (redis as unknown as Record<string, (...args: Arg[]) => Promise<T>>)[name]!;
  return (...args) => command.apply(redis, args);
}
