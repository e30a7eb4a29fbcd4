import { sameSlotGroups, type RedisClient } from '../redis/redis-client.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import { getWithTtl, type ValueWithTtl } from '../redis/get-with-ttl.js';
import { LocalReadLayer } from './local-read-layer.js';

/**
 * Hot reads in Redis, shared by every process, behind a 250 ms in-process layer; a Redis failure
 * is a miss, never an error.
 */
export class RedisReadCache implements ReadCache {
  private readonly prefix: string;
  private readonly local = new LocalReadLayer();
  private readonly read: (key: string) => Promise<ValueWithTtl>;

  constructor(
    private readonly redis: RedisClient,
    namespace: string,
  ) {
    this.prefix = `onsale:${namespace}:cache:`;
    this.read = getWithTtl(redis);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const near = this.local.get<T>(key);
    if (near !== undefined) return near;
    try {
      // with its time to live: the in-process copy must not outlive the shared one
      const [raw, ttlMs] = await this.read(this.prefix + key);
      if (raw === null) return undefined;
      const value = JSON.parse(raw) as T;
      if (ttlMs > 0) this.local.set(key, value, ttlMs);
      return value;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.local.delete([key]);
    try {
      await this.redis.set(this.prefix + key, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
    } catch {
      // a cache that cannot store is only slower
    }
  }

  async delete(keys: string[]): Promise<void> {
    this.local.delete(keys);
    // one DEL per slot's worth of keys: on a Cluster a DEL of keys in several slots is refused (CROSSSLOT)
    const groups = sameSlotGroups(
      this.redis,
      keys.map((key) => this.prefix + key),
    ).filter((group) => group.length > 0);
    await Promise.all(groups.map((group) => this.redis.del(...group)));
  }
}
