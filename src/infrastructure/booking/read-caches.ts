import type { Redis } from 'ioredis';
import type { ReadCache } from '../../application/ports/read-cache.js';

/** Hot reads in Redis, shared by every process; a Redis failure is a miss, never an error. */
export class RedisReadCache implements ReadCache {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    namespace: string,
  ) {
    this.prefix = `onsale:${namespace}:cache:`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.redis.get(this.prefix + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    try {
      await this.redis.set(this.prefix + key, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
    } catch {
      // a cache that cannot store is only slower
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((key) => this.prefix + key));
  }
}

/** The same in-process, for the embedded mode. */
export class MemoryReadCache implements ReadCache {
  private readonly entries = new Map<string, { value: string; until: number }>();

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.until <= Date.now()) return undefined;
    return JSON.parse(entry.value) as T;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.entries.set(key, { value: JSON.stringify(value), until: Date.now() + ttlMs });
    if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value as string);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
}
