/**
 * A moment of memory in front of a shared read cache: a hot answer asked for thousands of times a
 * second is fetched and parsed once per `ttlMs` per process, and handed out as the same object
 * (callers never mutate answers). This process's own invalidations clear it at once; other
 * processes' answers may be up to `ttlMs` older than the shared cache.
 */
export class LocalReadLayer {
  private readonly entries = new Map<string, { value: unknown; until: number }>();

  constructor(
    private readonly ttlMs = 250,
    private readonly capacity = 10_000,
  ) {}

  get<T>(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > now) return entry.value as T;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: unknown, ttlMs = this.ttlMs, now = Date.now()): void {
    this.entries.set(key, { value, until: now + Math.min(ttlMs, this.ttlMs) });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
