import type { AdmissionQueue, QueueStats } from '../../application/ports/admission-queue.js';
import type { Clock } from '../../application/ports/clock.js';
import type { DoorLists } from '../../application/ports/door-lists.js';
import { ShowNotFound } from '../../domain/catalog/catalog.errors.js';
import { saleState } from '../../domain/catalog/run-sale.js';
import type { ShowQueries } from '../../projections/catalog/show.queries.js';
import type { ProjectionLag } from '../projections/engine/lag.js';
import type { ClusterErrorTotals } from './cluster-error-totals.js';
import type { SaleSample } from './live-sale-stream.js';

export interface SamplerParts {
  shows: ShowQueries;
  queue: AdmissionQueue;
  clock: Clock;
  door: DoorLists;
  lag: () => Promise<ProjectionLag>;
  errors: ClusterErrorTotals;
}

const NO_QUEUE: QueueStats = {
  phase: 'absent',
  waiting: 0,
  active: 0,
  admittedTotal: 0,
  abandonedTotal: 0,
  etaErrorSumSeconds: 0,
  etaErrorCount: 0,
};

/**
 * Samples a sale for the live dashboard. One sample per show serves every viewer in this process
 * for `shareMs` (the reads are the same for all): ten dashboards open cost what one does.
 */
export class LiveSaleSampler {
  private readonly recent = new Map<string, { takenAt: number; sample: Promise<SaleSample> }>();

  constructor(
    private readonly parts: SamplerParts,
    private readonly shareMs = 900,
  ) {}

  sample(showId: string): Promise<SaleSample> {
    const now = Date.now();
    const shared = this.recent.get(showId);
    if (shared && now - shared.takenAt < this.shareMs) return shared.sample;
    const sample = this.take(showId);
    this.recent.set(showId, { takenAt: now, sample });
    sample.catch(() => this.recent.delete(showId));
    return sample;
  }

  private async take(showId: string): Promise<SaleSample> {
    const { shows, queue, clock, door, lag, errors } = this.parts;
    const show = await shows.get(showId);
    if (!show) throw new ShowNotFound(showId);
    const [stats, slowest, answered, forgedScans] = await Promise.all([
      show.queue.enabled ? queue.stats(showId) : NO_QUEUE,
      lag(),
      errors.totals(),
      door.forgedScans(showId),
    ]);
    const { capacity, sold, held, remaining } = show;
    const { admitPerSecond, maxActive } = show.queue;
    const at = clock.now();
    return {
      at: at.toISOString(),
      waitingRoom: show.queue.enabled,
      state: saleState(show, remaining, at),
      capacity,
      sold,
      held,
      remaining,
      waiting: stats.waiting,
      active: stats.active,
      admittedTotal: stats.admittedTotal,
      abandonedTotal: stats.abandonedTotal,
      admitPerSecond,
      maxActive,
      paused: Boolean(show.queue.paused),
      etaErrorSumSeconds: stats.etaErrorSumSeconds,
      etaErrorCount: stats.etaErrorCount,
      projectionLagPositions: slowest.positions,
      projectionLagSeconds: slowest.seconds,
      clientErrorsTotal: answered.clientErrors,
      serverErrorsTotal: answered.serverErrors,
      forgedScans,
    };
  }
}
