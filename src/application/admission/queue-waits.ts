import { inject, injectable } from 'tsyringe';
import type { AdmissionLeases } from '../ports/admission-leases.js';
import type { SaleSettings } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import type { AdmissionSettings } from './admission-settings.js';
import { estimateWait, waitCurve, type WaitEstimate } from './wait-estimate.js';

// While every place is taken, lease ends are read at most this often per show and process: every
// waiting member's poll asks. A read that found a free place is not kept: a place taken since would
// make its estimate one the queue cannot meet.
const FRESH_MS = 1000;

interface KeptCurve {
  served: number;
  queue: SaleSettings['queue'];
  at: number;
  curve: Promise<(ahead: number) => WaitEstimate>;
}

/**
 * The wait told to a waiting member, from the rate and the places (`estimateWait`). A buyer keeps a
 * place at least the lease length (leaving without a word) and at most the longest session; the time
 * buyers really take is not measured yet, so the range runs from the one to the other.
 */
@injectable()
export class QueueWaits {
  private readonly ends = new Map<string, { at: number; ends: Promise<number[]> }>();
  private readonly curves = new Map<string, KeptCurve>();

  constructor(
    @inject(TOKENS.AdmissionLeases) private readonly leases: AdmissionLeases,
    @inject(TOKENS.AdmissionSettings) private readonly settings: AdmissionSettings,
  ) {}

  async wait(sale: SaleSettings, ahead: number, now: number): Promise<WaitEstimate> {
    const { leaseMs, maxSessionMs } = this.settings.lease;
    const { admitPerSecond, maxActive } = sale.queue;
    const leaseEnds = await this.leaseEnds(sale.showId, maxActive, now);
    const sessionSeconds = { typical: leaseMs / 1000, longest: maxSessionMs / 1000 };
    return estimateWait({ ahead, admitPerSecond, maxActive, leaseEnds, now, sessionSeconds });
  }

  /** The wait for every number ahead up to `maxAhead`, from one estimate (event streams: one a show and tick). */
  async curve(sale: SaleSettings, maxAhead: number, now: number): Promise<(ahead: number) => WaitEstimate> {
    const { leaseMs, maxSessionMs } = this.settings.lease;
    const { admitPerSecond, maxActive } = sale.queue;
    const leaseEnds = await this.leaseEnds(sale.showId, maxActive, now);
    const sessionSeconds = { typical: leaseMs / 1000, longest: maxSessionMs / 1000 };
    return waitCurve({ admitPerSecond, maxActive, leaseEnds, now, sessionSeconds }, maxAhead);
  }

  /**
   * The show's curve, kept for polls while the queue's served counter stays at `served` (as a glance
   * read before the places were: no place taken since, so a free one is still free) and for at most
   * a second (the lease ends move as buyers renew).
   */
  curveWhileServed(sale: SaleSettings, served: number, now: number): Promise<(ahead: number) => WaitEstimate> {
    const kept = this.curves.get(sale.showId);
    if (kept && kept.served === served && kept.queue === sale.queue && now - kept.at < FRESH_MS) return kept.curve;
    const curve = this.curve(sale, Number.MAX_SAFE_INTEGER, now);
    const keeping: KeptCurve = { served, queue: sale.queue, at: now, curve };
    this.curves.set(sale.showId, keeping);
    curve.catch(() => this.curves.get(sale.showId) === keeping && this.curves.delete(sale.showId));
    return curve;
  }

  private leaseEnds(showId: string, limit: number, now: number): Promise<number[]> {
    const cached = this.ends.get(showId);
    if (cached && now - cached.at < FRESH_MS) return cached.ends;
    const ends = this.leases.leaseEnds(showId, limit);
    this.ends.set(showId, { at: now, ends });
    ends.then(
      (read) => read.length < limit && this.ends.delete(showId),
      () => this.ends.delete(showId),
    );
    return ends;
  }
}
