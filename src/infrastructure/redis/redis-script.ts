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
export function redisScript<T>(
  redis: RedisClient,
  name: string,
  lua: string,
  numberOfKeys?: number,
  keysPerCallOnCluster?: number,
): RedisScript<T> {
  if (numberOfKeys === undefined && isCluster(redis)) return fixedOnCluster(redis, name, lua, keysPerCallOnCluster);
  const command = define<T>(redis, name, lua, numberOfKeys);
  return (...args) => command.apply(redis, args);
}

/**
 * On a Cluster, a script whose key count varies is defined with the one count its calls have there
 * (one slot's keys: `keysPerCallOnCluster`), once, before any call: ioredis' auto-pipelining routes a
 * call by its first argument, which must be a key, not the count; and a pipeline knows only the
 * scripts defined when it was made.
 */
function fixedOnCluster<T>(redis: RedisClient, name: string, lua: string, keys: number | undefined): RedisScript<T> {
  if (keys === undefined) throw new Error(`the script ${name} has no fixed key count for a Redis Cluster`);
  const command = define<T>(redis, name, lua, keys);
  return (count, ...args) => {
    if (Number(count) !== keys) return Promise.reject(new Error(`${name}: ${count} keys in one call; on a Redis Cluster it takes ${keys}`));
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
    teachPendingPipelines(redis, name);
  } else if (known !== lua) {
    throw new Error(`another script is already defined as ${name}`);
  }
  return (redis as unknown as Record<string, (...args: Arg[]) => Promise<T>>)[name]!;
}

type Pipelines = { _autoPipelines?: Map<string, Record<string, unknown>> };

/**
 * An auto-pipeline copies the client's scripts when it is made: one made earlier in this turn of the
 * event loop would not know the new one, and ioredis would fail the call and then throw an uncaught
 * TypeError when the pipeline answers (fewer answers than callers). ioredis 5 keeps them in
 * `_autoPipelines`; tests/integration/redis/redis-scripts.spec.ts fails if that changes.
 */
function teachPendingPipelines(redis: RedisClient, name: string): void {
  const client = redis as unknown as Pipelines & Record<string, unknown>;
  for (const pipeline of client._autoPipelines?.values() ?? []) {
    pipeline[name] = client[name];
    pipeline[`${name}Buffer`] = client[`${name}Buffer`];
  }
}
