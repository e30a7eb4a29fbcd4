import type { ReadCache } from '../../application/ports/read-cache.js';
import { ExpiringMap } from '../expiring-map.js';

/** The read cache in-process, for the embedded mode: answers are kept as parsed objects. */
export class MemoryReadCache implements ReadCache {
  private readonly entries = new ExpiringMap<unknown>(10_000);

  async get<T>(key: string): Promise<T | undefined> {
    return this.entries.get(key) as T | undefined;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    // a copy, so that the caller's object can change without changing the cached answer
    this.entries.set(key, JSON.parse(JSON.stringify(value)), Date.now() + ttlMs);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }
}
