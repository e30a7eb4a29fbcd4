/** What kind of failure an error is; the HTTP layer maps each kind to one status. */
export type ErrorKind = 'validation' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable';

/** A known failure with a stable code (`BOOKING.SEATS_UNAVAILABLE`) whose message may be shown. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** Extra fields for the problem body, e.g. `{ seats: [...] }`. */
    readonly details?: Record<string, unknown>,
    /** Seconds a client should wait before trying again (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
