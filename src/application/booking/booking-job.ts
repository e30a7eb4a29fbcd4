import type { BookingCommand } from '../../domain/booking/booking.commands.js';
import type { BookingState } from '../../domain/booking/booking.decider.js';
import type { BookingEvent } from '../../domain/booking/booking.events.js';

/** One booking command: which streams it may touch, and what it answers. */
export interface BookingJob<R> {
  showId: string;
  memberId: string;
  /** Inventory parts (sections, pool shards) the command may touch. */
  parts: string[];
  /** Built at decide time, so that `now` is as late as possible. */
  command(now: Date): BookingCommand;
  /** The answer, read from the state right after the command's events. */
  result(state: BookingState, events: BookingEvent[]): R;
  /** Deterministic event ids (from an Idempotency-Key), by index. */
  eventId?(index: number): string;
  /**
   * A ledger not in the cache may be taken as empty without reading it (a member's first hold):
   * if it is not, the append's expected version fails and it is read. Only for commands whose
   * refusals do not depend on the ledger being there.
   */
  newLedgerLikely?: boolean;
  /**
   * Streams outside the booking that the command was decided on (a reservation's tickets stream:
   * its check-ins). Appended with no events, expecting these versions, so that the command's events
   * commit only if none of them moved; one that moved fails this command alone with
   * `WrongExpectedVersion` and its caller reads it again.
   */
  guards?: { streamId: string; version: number }[];
}

export interface BookingOutcome<R> {
  result: R;
  events: BookingEvent[];
  /** Global position of the append (0 when nothing was appended). */
  position: number;
}

/** A job waiting for its answer; `streams` is its ledger first, then its inventory streams. */
export interface QueuedJob {
  job: BookingJob<unknown>;
  streams: string[];
  /** The request's id, taken when the job was queued: a batch folds jobs of many requests. */
  correlationId?: string;
  resolve(outcome: BookingOutcome<unknown>): void;
  reject(error: unknown): void;
}

export type Decision = { queued: QueuedJob; events: BookingEvent[]; result: unknown } | { queued: QueuedJob; error: unknown };
