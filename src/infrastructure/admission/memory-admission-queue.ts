import type { AdmissionLeases } from '../../application/ports/admission-leases.js';
import type {
  AdmissionBatch,
  AdmissionLease,
  AdmissionQueue,
  AdmitLimits,
  AdmitPace,
  AdmitResult,
  LeasePolicy,
  MemberPlace,
  QueueStats,
} from '../../application/ports/admission-queue.js';
import { acknowledge, admit, close, joinAll, renumberBatches, reopen } from '../../domain/admission/admission.rules.js';
import { leave, releaseAdmission, renewAdmission, status } from '../../domain/admission/member-place.rules.js';
import { applyDraw, freeze } from '../../domain/admission/queue-draw.rules.js';
import type { QueueState } from '../../domain/admission/queue.state.js';
import { glance, type QueueGlance } from '../../domain/admission/queue-glance.js';

/**
 * The embedded mode's queue: the waiting room's rules (src/domain/admission) over one process's
 * memory. Only correct when a single process serves the show (no WORKERS), so the process's clock
 * is the one clock that decides the phase; the leaver count is a scan here.
 */
export class InProcessAdmissionQueue implements AdmissionQueue, AdmissionLeases {
  private readonly queues = new Map<string, QueueState>();
  private readonly seeds = new Map<string, { seed: string; committedAt: number }>();
  private readonly tracked = new Set<string>();
  private readonly etaErrors = new Map<string, { sum: number; count: number }>();

  async join(
    showId: string,
    memberId: string,
    now: number,
    salesOpenAt: number,
    lease: LeasePolicy,
    pace?: AdmitPace,
  ): Promise<MemberPlace> {
    const { queue, places } = joinAll(this.queues.get(showId), [{ memberId, at: { now, receivedAt: now, salesOpenAt } }], lease, pace);
    if (queue) this.queues.set(showId, queue);
    return places[0]!;
  }

  async status(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<MemberPlace> {
    return status(this.queues.get(showId), memberId, now, lease);
  }

  async statuses(showId: string, memberIds: string[], now: number, lease: LeasePolicy): Promise<MemberPlace[]> {
    return memberIds.map((memberId) => status(this.queues.get(showId), memberId, now, lease));
  }

  async glance(showId: string, upTo: number): Promise<QueueGlance> {
    return glance(this.queues.get(showId), upTo);
  }

  async renew(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<AdmissionLease | undefined> {
    return renewAdmission(this.queues.get(showId), memberId, now, lease);
  }

  async leave(showId: string, memberId: string): Promise<boolean> {
    return leave(this.queues.get(showId), memberId, true);
  }

  async release(showId: string, memberId: string, admittedAt?: number): Promise<boolean> {
    const q = this.queues.get(showId);
    return admittedAt === undefined ? leave(q, memberId, false) : releaseAdmission(q, memberId, admittedAt);
  }

  async freeze(showId: string, opening?: { now: number; salesOpenAt: number }): Promise<string[] | undefined> {
    return freeze(this.queues.get(showId), opening && { instant: opening.now, salesOpenAt: opening.salesOpenAt });
  }

  async commitSeed(showId: string, seed: string, now: number): Promise<{ seed: string; committedAt: number }> {
    const kept = this.seeds.get(showId) ?? { seed, committedAt: now };
    this.seeds.set(showId, kept);
    return kept;
  }

  async applyDraw(showId: string, order: string[], now: number): Promise<void> {
    applyDraw(this.queues.get(showId), order, now);
  }

  async admit(showId: string, now: number, limits: AdmitLimits): Promise<AdmitResult> {
    return admit(this.queues.get(showId), now, limits);
  }

  async close(showId: string, reason: string, now: number): Promise<void> {
    this.queues.set(showId, close(this.queues.get(showId), reason, now));
  }

  async reopen(showId: string, now: number, quietMs: number): Promise<boolean> {
    return reopen(this.queues.get(showId), now, quietMs);
  }

  async pendingBatches(showId: string, limit: number): Promise<AdmissionBatch[]> {
    return (this.queues.get(showId)?.outbox ?? []).slice(0, limit);
  }

  async ackBatches(showId: string, seq: number): Promise<number> {
    return acknowledge(this.queues.get(showId), seq);
  }

  async renumberBatches(showId: string, head: number, recorded: number): Promise<number> {
    return renumberBatches(this.queues.get(showId), head, recorded);
  }

  async leaseEnds(showId: string, limit: number): Promise<number[]> {
    return [...(this.queues.get(showId)?.leases.values() ?? [])].sort((a, b) => a - b).slice(0, limit);
  }

  async stats(showId: string): Promise<QueueStats> {
    const q = this.queues.get(showId);
    const eta = this.etaErrors.get(showId) ?? { sum: 0, count: 0 };
    const noted = { etaErrorSumSeconds: eta.sum, etaErrorCount: eta.count };
    if (!q) return { phase: 'absent', waiting: 0, active: 0, admittedTotal: 0, abandonedTotal: 0, ...noted };
    return {
      phase: q.phase,
      waiting: q.tickets.size,
      active: q.leases.size,
      admittedTotal: q.admittedTotal,
      abandonedTotal: q.abandonedTotal,
      ...noted,
    };
  }

  async noteEtaErrors(showId: string, errorsSeconds: number[]): Promise<void> {
    const eta = this.etaErrors.get(showId) ?? { sum: 0, count: 0 };
    for (const error of errorsSeconds) eta.sum += error;
    eta.count += errorsSeconds.length;
    this.etaErrors.set(showId, eta);
  }

  async shows(): Promise<string[]> {
    return [...this.tracked];
  }

  async track(showId: string): Promise<void> {
    this.tracked.add(showId);
  }

  async untrack(showId: string): Promise<void> {
    this.tracked.delete(showId);
  }
}
