import type { RateLimitDecision, RateLimiter, RateLimitRule } from '../../application/ports/rate-limiter.js';
import { strictest } from './strictest-decision.js';

interface Window {
  count: number;
  endsAt: number;
}

/** Fixed windows in this process's memory (embedded mode: each process counts on its own). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    return this.count({ key, limit, windowSeconds }, this.now());
  }

  async hitAll(rules: RateLimitRule[]): Promise<RateLimitDecision> {
    const now = this.now();
    return strictest(rules.map((rule) => this.count(rule, now)));
  }

  async peek(key: string, limit: number): Promise<RateLimitDecision> {
    const now = this.now();
    const window = this.current(key, now);
    return window ? decision(window.count < limit, window, now) : { allowed: true, retryAfterSeconds: 0 };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private count({ key, limit, windowSeconds }: RateLimitRule, now: number): RateLimitDecision {
    let window = this.current(key, now);
    if (!window) {
      if (this.windows.size >= this.maxKeys) this.sweep(now);
      window = { count: 0, endsAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return decision(window.count <= limit, window, now);
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Drops ended windows; if all are live, the oldest go (a flood of keys must not grow memory). */
  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

function decision(allowed: boolean, window: Window, now: number): RateLimitDecision {
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((window.endsAt - now) / 1000)) };
}
