/** The waiting room's vocabulary, shared by its rules and by every store that keeps a queue. */
export type QueuePhase = 'prequeue' | 'drawing' | 'open' | 'closed';

/** Where one member stands. `ahead` is null in the pre-queue (the order is not drawn yet). */
export type MemberPlace =
  | { state: 'waiting'; preQueue: true; ticket: 0; ahead: null }
  | { state: 'waiting'; preQueue: false; ticket: number; ahead: number }
  | { state: 'admitted'; leaseExpiresAt: number }
  | { state: 'closed'; reason: string }
  | { state: 'absent' };

/**
 * A live lease and the admission it belongs to. An admission is named by its time (the
 * `admittedAt` of its MembersAdmitted batch): a member admitted again has a later one.
 */
export interface AdmissionLease {
  expiresAt: number;
  admittedAt: number;
}

export interface LeasePolicy {
  /** A lease lasts this long after the member's last sign of life. */
  leaseMs: number;
  /**
   * A new admission lasts this long until the member is seen using it (a look-up or a hold renews it
   * to `leaseMs`), so that one nobody hears of goes to the next member soon. Unset: `leaseMs`.
   */
  firstLeaseMs?: number;
  /** No lease outlives admission + this, however often it is renewed. */
  maxSessionMs: number;
}

/** How fast a show lets members in, and how many may shop at once. */
export interface AdmitPace {
  admitPerSecond: number;
  maxActive: number;
}

export interface AdmitLimits extends LeasePolicy, AdmitPace {}

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
