import { inject, injectable } from 'tsyringe';
import { admissionStream, type AdmissionEvent, type MembersAdmitted } from '../../domain/admission/admission.events.js';
import { etaErrorSeconds } from '../../domain/admission/eta.js';
import { firstLeaseMs } from '../../domain/admission/admission.rules.js';
import type { AdmissionNews } from '../ports/admission-news.js';
import type { AdmissionBatch, AdmissionQueue, AdmitResult } from '../ports/admission-queue.js';
import type { Clock } from '../ports/clock.js';
import type { DrawSeeds } from '../ports/draw-seeds.js';
import type { EventStore } from '../ports/event-store.js';
import { IdempotencyMismatch } from '../ports/event-store.errors.js';
import type { SaleCatalog, SaleSettings } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import { admissionEventId } from './admission-event-id.js';
import type { AdmissionSettings } from './admission-settings.js';
import { PreQueueDraw } from './pre-queue-draw.service.js';
import { closedReason } from './queued-sale.js';

export interface AdmitTickReport {
  showId: string;
  phase: AdmitResult['phase'] | 'idle' | 'paused';
  admitted: number;
  /** Members whose admission (by this tick, an earlier one or a refill) this tick recorded: each is recorded by one tick. */
  recorded: number;
  /** Why recording failed: the batches stay in the outbox for the next tick. */
  recordError?: unknown;
  expired: number;
  active: number;
  waiting: number;
  /** Seconds each admitted member's ETA (given at join) was off. */
  etaErrors: number[];
}

/**
 * One admitter tick for one show: close when the sale is over or sold out, draw the pre-queue at
 * opening, admit within rate and capacity, record admissions. Safe in any number of processes.
 */
@injectable()
export class AdmitShowHandler {
  private readonly preQueue: PreQueueDraw;

  constructor(
    @inject(TOKENS.AdmissionQueue) private readonly queue: AdmissionQueue,
    @inject(TOKENS.SaleCatalog) private readonly catalog: SaleCatalog,
    @inject(TOKENS.EventStore) private readonly events: EventStore,
    @inject(TOKENS.AdmissionSettings) private readonly settings: AdmissionSettings,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.AdmissionNews) private readonly news: AdmissionNews,
    @inject(TOKENS.DrawSeeds) seeds: DrawSeeds,
  ) {
    this.preQueue = new PreQueueDraw(queue, events, seeds);
  }

  async handle(showId: string): Promise<AdmitTickReport> {
    const now = this.clock.now().getTime();
    const sale = await this.catalog.saleSettings(showId);
    if (!sale?.queue.enabled) return this.forget(showId, sale === undefined);
    const reason = closedReason(sale, now);
    if (reason) return this.closeFor(sale, reason, now);
    if (now < sale.salesOpenAt.getTime()) {
      await this.preQueue.commit(showId, now);
      return idle(showId, 'prequeue');
    }
    if (sale.queue.paused) return this.paused(showId);
    let result = await this.queue.admit(showId, now, this.limits(sale));
    if (result.phase === 'prequeue' || result.phase === 'drawing') {
      await this.preQueue.draw(showId, now, sale.salesOpenAt.getTime());
      result = await this.queue.admit(showId, now, this.limits(sale));
    } else if (result.phase === 'closed' && (await this.queue.reopen(showId, now, this.settings.reopenAfterMs))) {
      result = await this.queue.admit(showId, now, this.limits(sale));
    }
    this.announce(showId, result, now);
    const etaErrors = await this.noteEtaErrors(showId, result, now, sale);
    const { recorded, recordError } = await this.recordAdmissions(showId);
    return {
      showId,
      phase: result.phase,
      admitted: result.admitted.length,
      recorded,
      recordError,
      expired: result.expired,
      active: result.active,
      waiting: result.waiting,
      etaErrors,
    };
  }

  /** How far each admitted member's ETA was off, noted in the queue for the live dashboard (a failure only loses the figure). */
  private async noteEtaErrors(showId: string, result: AdmitResult, now: number, sale: SaleSettings): Promise<number[]> {
    const errors = result.admitted.filter((a) => a.joinedAt > 0).map((a) => etaErrorSeconds(a, now, sale.queue.admitPerSecond));
    if (errors.length) await this.queue.noteEtaErrors(showId, errors).catch(() => undefined);
    return errors;
  }

  /**
   * Right after this process freed a place (a confirm ended a lease): admits the next members now,
   * within the show's rate and capacity, rather than at the next tick, so that no place stands
   * empty in between. Drawing, closing and recording the admissions are left to the tick.
   */
  async refill(showId: string): Promise<void> {
    const now = this.clock.now().getTime();
    const sale = await this.catalog.saleSettings(showId);
    if (!sale?.queue.enabled || sale.queue.paused || closedReason(sale, now) || now < sale.salesOpenAt.getTime()) return;
    const result = await this.queue.admit(showId, now, this.limits(sale));
    this.announce(showId, result, now);
    await this.noteEtaErrors(showId, result, now, sale);
  }

  /** Members waiting on a long poll in any process hear of their admission now, not at their next look-up. */
  private announce(showId: string, result: AdmitResult, now: number): void {
    if (result.admitted.length === 0) return;
    const memberIds = result.admitted.map((a) => a.memberId);
    this.news.announce({ showId, memberIds, leaseExpiresAt: now + firstLeaseMs(this.settings.lease) });
  }

  /**
   * Stops ticking a show without a queued sale. A show this process's catalogue does not know is
   * dropped only once empty: another deployment on the same Redis may be selling it.
   */
  private async forget(showId: string, unknown: boolean): Promise<AdmitTickReport> {
    const stats = unknown ? await this.queue.stats(showId) : undefined;
    if (!stats || (stats.waiting === 0 && stats.active === 0)) await this.queue.untrack(showId);
    return idle(showId);
  }

  private limits(sale: SaleSettings) {
    return { ...this.settings.lease, admitPerSecond: sale.queue.admitPerSecond, maxActive: sale.queue.maxActive };
  }

  /**
   * Admission batches wait in the queue's outbox until recorded, one event each, its id derived
   * from the batch number: a process repeating another's append replays it. The pending batches go
   * in one append; when another process recorded part of them already (its window overlapped this
   * one without matching it), they go one at a time, each then recorded or replayed alone. The
   * acknowledgement drops each batch once, whatever the number of processes, and says how many
   * members it dropped: that is what this tick counts as recorded.
   *
   * A Redis failover can lose the last admissions after they were recorded, and with them the
   * counter's last steps: the next batch gets a number the record holds already, for other members
   * (IdempotencyMismatch). Dropping it would lose its record; retrying would clash forever. The
   * record is the truth: the pending batches are numbered anew above its highest, and recorded.
   */
  private async recordAdmissions(showId: string, renumbered = false): Promise<{ recorded: number; recordError?: unknown }> {
    try {
      const batches = await this.queue.pendingBatches(showId, 50);
      if (!batches.length) return { recorded: 0 };
      const events = batches.map((batch) => admittedEvent(showId, batch));
      try {
        await this.events.append(admissionStream(showId), events, 'any');
      } catch (error) {
        if (!(error instanceof IdempotencyMismatch)) throw error;
        for (const [i, event] of events.entries()) {
          try {
            await this.events.append(admissionStream(showId), [event], 'any');
          } catch (alone) {
            if (!(alone instanceof IdempotencyMismatch) || renumbered) throw alone;
            await this.queue.renumberBatches(showId, batches[i]!.seq, await this.highestRecordedBatch(showId));
            return this.recordAdmissions(showId, true);
          }
        }
      }
      return { recorded: await this.queue.ackBatches(showId, batches[batches.length - 1]!.seq) };
    } catch (recordError) {
      return { recorded: 0, recordError };
    }
  }

  private async highestRecordedBatch(showId: string): Promise<number> {
    const recorded = await this.events.readStream(admissionStream(showId));
    return Math.max(0, ...recorded.filter((e) => e.type === 'MembersAdmitted').map((e) => (e.data as MembersAdmitted['data']).batch));
  }

  /** Admissions paused by the organizer: nobody new is let in (nor drawn); admissions made before are still recorded. */
  private async paused(showId: string): Promise<AdmitTickReport> {
    const { recorded, recordError } = await this.recordAdmissions(showId);
    const { active, waiting } = await this.queue.stats(showId);
    return { showId, phase: 'paused', admitted: 0, recorded, recordError, expired: 0, active, waiting, etaErrors: [] };
  }

  private async closeFor(sale: SaleSettings, reason: string, now: number): Promise<AdmitTickReport> {
    const stats = await this.queue.stats(sale.showId);
    // admissions made before the close (also one by the booking module's sold-out) are recorded first
    const { recorded, recordError } = await this.recordAdmissions(sale.showId);
    if (recordError) throw recordError;
    if (stats.phase !== 'closed') {
      await this.queue.close(sale.showId, reason, now);
      const closed: AdmissionEvent = { type: 'QueueClosed', data: { showId: sale.showId, reason, closedAt: new Date(now).toISOString() } };
      await this.events.append(admissionStream(sale.showId), [{ id: admissionEventId(`${sale.showId}:closed:${now}`), ...closed }], 'any');
    }
    if (reason === 'sales_closed') await this.queue.untrack(sale.showId);
    const { active, waiting } = stats;
    return { showId: sale.showId, phase: 'closed', admitted: 0, recorded, expired: 0, active, waiting, etaErrors: [] };
  }
}

/** A batch's record: its id derived from the show and the batch number, so that a repeat replays. */
function admittedEvent(showId: string, batch: AdmissionBatch) {
  const data: MembersAdmitted['data'] = {
    showId,
    batch: batch.seq,
    memberIds: batch.memberIds,
    admittedAt: new Date(batch.admittedAt).toISOString(),
  };
  return { id: admissionEventId(`${showId}:admitted:${batch.seq}`), type: 'MembersAdmitted', data };
}

function idle(showId: string, phase: AdmitTickReport['phase'] = 'idle'): AdmitTickReport {
  return { showId, phase, admitted: 0, recorded: 0, expired: 0, active: 0, waiting: 0, etaErrors: [] };
}
