import type { RateLimitDecision } from '../../application/ports/rate-limiter.js';

/** Several keys' decisions as one: allowed only if every key is, else after the longest refusal. */
export function strictest(decisions: RateLimitDecision[]): RateLimitDecision {
  const refused = decisions.filter((decision) => !decision.allowed);
  if (refused.length === 0) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(...refused.map((decision) => decision.retryAfterSeconds)) };
}
