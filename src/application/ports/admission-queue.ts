import type { QueueGlance } from '../../domain/admission/queue-glance.js';
import type {
  AdmissionBatch,
  AdmissionLease,
  AdmitLimits,
  AdmitPace,
  AdmitResult,
  AdmittedMember,
  LeasePolicy,
  MemberPlace,
  QueuePhase,
} from '../../domain/admission/waiting-room.types.js';

export type { QueueGlance };
export type { AdmissionBatch, AdmissionLease, AdmitLimits, AdmitPace, AdmitResult, AdmittedMember, LeasePolicy, MemberPlace, QueuePhase };

export interface QueueStats {
  phase: QueuePhase | 'absent';
  waiting: number;
  active: number;
  admittedTotal: number;
  abandonedTotal: number;
  /** Sum and number of the ETA errors noted so far (seconds; positive: admitted later than told at join). */
  etaErrorSumSeconds: number;
  etaErrorCount: number;
}

/**
 * The waiting room's store, per show: the rules of src/domain/admission, kept atomically. Every
 * method is one atomic step, so any number of processes may call it at once. Times are epoch
 * milliseconds passed in by the caller, except the instant that decides a join's phase (see join).
 */
export interface AdmissionQueue {
  /**
   * Takes a place (or returns the one already held: joining twice keeps the place). A join that
   * reaches the store before `salesOpenAt` (by the store's clock) goes into the pre-queue draw; the
   * first one at or after it freezes the draw in the same step (see phaseAt). With `pace`, a join
   * that finds nobody waiting ahead is admitted in the same step, within rate and room (joinAll):
   * it need not wait for the admitter's next tick.
   */
  join(showId: string, memberId: string, now: number, salesOpenAt: number, lease: LeasePolicy, pace?: AdmitPace): Promise<MemberPlace>;
  /** Where the member stands; an admitted member's lease is renewed by asking. */
  status(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<MemberPlace>;
  /** `status` of many members of one show in one step, in order. */
  statuses(showId: string, memberIds: string[], now: number, lease: LeasePolicy): Promise<MemberPlace[]>;
  /**
   * The phase, the served counter and the tickets given up up to `upTo`: enough to place every
   * waiting member whose ticket is known (aheadAt), in one read, whatever their number.
   */
  glance(showId: string, upTo: number): Promise<QueueGlance>;
  /** Renews an active lease and names its admission; undefined when the member holds none. */
  renew(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<AdmissionLease | undefined>;
  /** Gives up the place or the lease, whichever the member has; false when they had neither. */
  leave(showId: string, memberId: string): Promise<boolean>;
  /**
   * Ends an active lease only (done shopping); false when there was none. With `admittedAt`, only
   * while the lease is still that admission (see releaseAdmission): a later one stands.
   */
  release(showId: string, memberId: string, admittedAt?: number): Promise<boolean>;
  /**
   * Stops the pre-queue and returns its members in join order (the same list on every call). With
   * `opening`, not before the store's clock has reached `salesOpenAt`.
   */
  freeze(showId: string, opening?: { now: number; salesOpenAt: number }): Promise<string[] | undefined>;
  /** Keeps `seed` as the show's draw seed unless one is kept already; returns the kept one. */
  commitSeed(showId: string, seed: string, now: number): Promise<{ seed: string; committedAt: number }>;
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
  /** Drops batches up to and including `seq`; returns how many members this call dropped (so each is counted once). */
  ackBatches(showId: string, seq: number): Promise<number>;
  /**
   * Numbers the pending batches from `head` on anew, above `recorded` (the highest batch number in
   * the record): for after a failover that rolled the counter back. 0 when another process did it.
   */
  renumberBatches(showId: string, head: number, recorded: number): Promise<number>;
  stats(showId: string): Promise<QueueStats>;
  /** Adds admitted members' ETA errors (seconds) to the show's running sum, for every process's dashboard. */
  noteEtaErrors(showId: string, errorsSeconds: number[]): Promise<void>;
  /** Shows with a queue that the admitter should tick. */
  shows(): Promise<string[]>;
  track(showId: string): Promise<void>;
  untrack(showId: string): Promise<void>;
}
