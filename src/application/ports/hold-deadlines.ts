/** A hold that must expire at `expiresAt` unless confirmed or released first. */
export interface HoldDeadline {
  showId: string;
  memberId: string;
  holdId: string;
  expiresAt: Date;
}

/**
 * Deadlines of open holds, ordered by time (a Redis sorted set, or a heap in-process).
 * `takeDue` hands each due deadline to one taker; a taker that fails gives it back with `schedule`.
 */
export interface HoldDeadlines {
  schedule(deadline: HoldDeadline): Promise<void>;
  cancel(holdId: string, memberId: string): Promise<void>;
  takeDue(now: Date, limit: number): Promise<HoldDeadline[]>;
  /** When the earliest deadline falls, if any (lets the expirer sleep until then). */
  next(): Promise<Date | undefined>;
}

/** Holds still open in the read model (a fallback feed for the deadline process). */
export interface OpenHolds {
  /** Open holds whose deadline falls before `before`, earliest first (an index range, not a scan). */
  dueBefore(before: Date, limit: number): Promise<HoldDeadline[]>;
}
