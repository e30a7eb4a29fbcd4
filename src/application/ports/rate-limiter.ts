export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the next attempt may pass, when not allowed. */
  retryAfterSeconds: number;
}

/** One key's rule: at most `limit` hits in a window of `windowSeconds`. */
export interface RateLimitRule {
  key: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts attempts per key in a fixed window that starts with the key's first hit (Redis when
 * configured, in-process when embedded). A store that cannot answer throws a 503 DomainError.
 */
export interface RateLimiter {
  /** Counts one attempt; allowed while the count in the window is at most `limit`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  /**
   * Counts one attempt on every key in one step (one Redis call): allowed only if every key is
   * within its limit; when refused, retry after the longest wait of the keys that refused.
   */
  hitAll(rules: RateLimitRule[]): Promise<RateLimitDecision>;
  /** Whether one more hit would be allowed, without counting it (e.g. to count only failures). */
  peek(key: string, limit: number): Promise<RateLimitDecision>;
  reset(key: string): Promise<void>;
}
