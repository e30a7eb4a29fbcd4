/**
 * The waiting room's store, per show. Every method is one atomic step, so any number of
 * processes may call it at once. Times are epoch milliseconds passed in by the caller.
 */
export type QueuePhase = 'prequeue' | 'drawing' | 'open' | 'closed';

/** Where one member stands. `ahead` is null in the pre-queue (the order is not drawn yet). */
export type MemberPlace =
  | { state: 'waiting'; preQueue: true; ticket: 0; ahead: null }
  | { state: 'waiting'; preQueue: false; ticket: number; ahead: number }
  | { state: 'admitted'; leaseExpiresAt: number }
  | { state: 'closed'; reason: string }
  | { state: 'absent' };

export interface LeasePolicy {
  /** A lease lasts this long after the member's last sign of life. */
  leaseMs: number;
  /** No lease outlives admission + this, however often it is renewed. */
  maxSessionMs: number;
}

export interface AdmitLimits extends LeasePolicy {
  admitPerSecond: number;
  maxActive: number;
}

export interface AdmittedMember {
  memberId: string;
  /** When the member took their place (for the pre-queue: when the draw placed them). */
  joinedAt: number;
  /** How many were ahead when they took their place. */
  aheadAtJoin: number;
}

export interface AdmitResult {
  phase: QueuePhase | 'absent';
  admitted: AdmittedMember[];
  /** Leases that ran out without a word from their member: places given back. */
  expired: number;
  active: number;
  waiting: number;
}

/** A batch of admissions not yet recorded in the event store (an outbox written by `admit`). */
export interface AdmissionBatch {
  seq: number;
  admittedAt: number;
  memberIds: string[];
}

export interface QueueStats {
  phase: QueuePhase | 'absent';
  waiting: number;
  active: number;
  admittedTotal: number;
  abandonedTotal: number;
}

export interface AdmissionQueue {
  /** Takes a place (or returns the one already held: joining twice keeps the place). */
  join(showId: string, memberId: string, now: number, initialPhase: 'prequeue' | 'open', lease: LeasePolicy): Promise<MemberPlace>;
  /** Where the member stands; an admitted member's lease is renewed by asking. */
  status(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<MemberPlace>;
  /** `status` of many members of one show in one step, in order. */
  statuses(showId: string, memberIds: string[], now: number, lease: LeasePolicy): Promise<MemberPlace[]>;
  /** Renews an active lease; undefined when the member holds none. */
  renew(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<number | undefined>;
  /** Gives up the place or the lease, whichever the member has; false when they had neither. */
  leave(showId: string, memberId: string): Promise<boolean>;
  /** Ends an active lease only (done shopping); false when there was none. */
  release(showId: string, memberId: string): Promise<boolean>;
  /** Stops the pre-queue and returns its members in join order (the same list on every call). */
  freeze(showId: string): Promise<string[] | undefined>;
  /** Gives the frozen pre-queue its drawn order, ahead of everyone who joined since, and opens. */
  applyDraw(showId: string, order: string[], now: number): Promise<void>;
  /** Expires silent leases, then admits in ticket order within rate and capacity. */
  admit(showId: string, now: number, limits: AdmitLimits): Promise<AdmitResult>;
  /** Stops admitting; everyone asking is told `closed` with the reason. */
  close(showId: string, reason: string, now: number): Promise<void>;
  /** Undoes a `sold_out` close at least `quietMs` old (tickets came back); places are kept. */
  reopen(showId: string, now: number, quietMs: number): Promise<boolean>;
  /** Admission batches not yet acknowledged, oldest first. */
  pendingBatches(showId: string, limit: number): Promise<AdmissionBatch[]>;
  /** Drops batches up to and including `seq`. */
  ackBatches(showId: string, seq: number): Promise<void>;
  stats(showId: string): Promise<QueueStats>;
  /** Shows with a queue that the admitter should tick. */
  shows(): Promise<string[]>;
  track(showId: string): Promise<void>;
  untrack(showId: string): Promise<void>;
}
