export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the next attempt may pass, when not allowed. */
  retryAfterSeconds: number;
}

/**
 * Counts attempts per key in a fixed window that starts with the key's first hit (Redis when
 * configured, in-process when embedded). A store that cannot answer throws a 503 DomainError.
 */
export interface RateLimiter {
  /** Counts one attempt; allowed while the count in the window is at most `limit`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  /** Whether one more hit would be allowed, without counting it (e.g. to count only failures). */
  peek(key: string, limit: number): Promise<RateLimitDecision>;
  reset(key: string): Promise<void>;
}
