import { ExpiringMap } from '../expiring-map.js';

/**
 * A moment of memory in front of a shared read cache: a hot answer asked for thousands of times a
 * second is fetched and parsed once per `ttlMs` per process, and handed out as the same object
 * (callers never mutate answers). This process's own invalidations clear it at once; other
 * processes' answers may be up to `ttlMs` older than the shared cache.
 */
export class LocalReadLayer {
  private readonly entries: ExpiringMap<unknown>;

  constructor(
    private readonly ttlMs = 250,
    capacity = 10_000,
  ) {
    this.entries = new ExpiringMap(capacity);
  }

  get<T>(key: string, now = Date.now()): T | undefined {
    return this.entries.get(key, now) as T | undefined;
  }

  set(key: string, value: unknown, ttlMs = this.ttlMs, now = Date.now()): void {
    this.entries.set(key, value, now + Math.min(ttlMs, this.ttlMs));
  }

  delete(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
