import type { ReadCache } from '../../application/ports/read-cache.js';
import { classifyDatabaseFailure } from '../database/database-failure.js';

/** How long a last good answer is kept for a database outage. */
const KEEP_MS = 15 * 60_000;
/** At most one write of a key's copy a second per process: hot reads are many. */
const REFRESH_MS = 1000;
const STALE = '110 - "Response is Stale"';

export interface Served<T> {
  body: T;
  /** `Age` and `Warning` when the body is a copy from before the database went away. */
  headers?: Record<string, string>;
}

/**
 * The last good answer of a public read (show list, show, seat map), kept in the read cache (Redis
 * when configured, so every process has it) and served marked stale while the database is away:
 * buyers see the sale rather than an error page. Without a copy, the fault goes on to the 503.
 */
export class StaleCopies {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly cache: ReadCache,
    private readonly now: () => number = Date.now,
  ) {}

  async serve<T>(key: string, read: () => Promise<T>): Promise<Served<T>> {
    try {
      const body = await read();
      if (body !== undefined) this.keep(key, body);
      return { body };
    } catch (error) {
      if (!classifyDatabaseFailure(error)) throw error;
      const copy = await this.cache.get<{ body: T; at: number }>(`stale:${key}`).catch(() => undefined);
      if (!copy) throw error;
      const age = Math.max(0, Math.floor((this.now() - copy.at) / 1000));
      return { body: copy.body, headers: { Age: String(age), Warning: STALE } };
    }
  }

  private keep(key: string, body: unknown): void {
    const now = this.now();
    if ((this.written.get(key) ?? -Infinity) > now - REFRESH_MS) return;
    this.written.set(key, now);
    void this.cache.set(`stale:${key}`, { body, at: now }, KEEP_MS).catch(() => undefined);
  }
}
