export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the next attempt may pass, when not allowed. */
  retryAfterSeconds: number;
}

/** Counts attempts per key in a window (Redis when configured, in-process when embedded). */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  reset(key: string): Promise<void>;
}
