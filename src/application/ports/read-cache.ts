/** A cache for hot reads (Redis when configured, in-process when embedded). Values are JSON. */
export interface ReadCache {
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a value for at most `ttlMs`. */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(keys: string[]): Promise<void>;
}
