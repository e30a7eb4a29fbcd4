import { isCluster, type RedisClient } from './redis-client.js';

type Arg = string | number;

/** Runs a script with its keys, then its arguments; when its key count varies, that count comes first. */
export type RedisScript<T> = (...args: Arg[]) => Promise<T>;

const defined = new WeakMap<RedisClient, Map<string, string>>();

/**
 * `lua` as a command of this client (`defineCommand`): ioredis sends EVALSHA, and the body itself
 * only once per connection (per node on a Cluster) and again after NOSCRIPT (a restarted, flushed
 * or newly promoted Redis), so Redis neither reads nor hashes the body on every call. Instances
 * sharing a client share the definition.
 */
export function redisScript<T>(redis: RedisClient, name: string, lua: string, numberOfKeys?: number): RedisScript<T> {
  if (numberOfKeys === undefined && isCluster(redis)) return perKeyCount(redis, name, lua);
  const command = define<T>(redis, name, lua, numberOfKeys);
  return (...args) => command.apply(redis, args);
}

/**
 * On a Cluster, a script whose key count varies is defined once per count it is called with: ioredis'
 * auto-pipelining routes a call by its first argument, which must be a key, not the count.
 */
function perKeyCount<T>(redis: RedisClient, name: string, lua: string): RedisScript<T> {
  const commands = new Map<number, (...args: Arg[]) => Promise<T>>();
  return (count, ...args) => {
    const keys = Number(count);
    let command = commands.get(keys);
    if (!command) {
      command = define<T>(redis, `${name}With${keys}Keys`, lua, keys);
      commands.set(keys, command);
    }
    return command.apply(redis, args);
  };
}

function define<T>(redis: RedisClient, name: string, lua: string, numberOfKeys: number | undefined): (...args: Arg[]) => Promise<T> {
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
  return (redis as unknown as Record<string, (...args: Arg[]) => Promise<T>>)[name]!;
}
