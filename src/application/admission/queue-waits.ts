import { inject, injectable } from 'tsyringe';
import type { AdmissionLeases } from '../ports/admission-leases.js';
import type { SaleSettings } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import type { AdmissionSettings } from './admission-settings.js';
import { waitCurve, type WaitCurve, type WaitEstimate } from './wait-estimate.js';

// While every place is taken, lease ends are read at most this often per show and process: every
// waiting member's poll asks. A read that found a free place is not kept: a place taken since would
// make its estimate one the queue cannot meet.
const FRESH_MS = 1000;

interface KeptCurve {
  served: number;
  queue: SaleSettings['queue'];
  at: number;
  curve: Promise<WaitCurve>;
}

// A shared curve covers at least this many ahead: a longer queue doubles it (one simulation a step).
const SHARED_MIN_AHEAD = 1024;

/** A curve drawn from the lease ends as read, for every answer within a second that finds them the same. */
interface SharedCurve {
  leaseEnds: number[];
  queue: SaleSettings['queue'];
  at: number;
  maxAhead: number;
  curve: WaitCurve;
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
  private readonly shared = new Map<string, SharedCurve>();

  constructor(
    @inject(TOKENS.AdmissionLeases) private readonly leases: AdmissionLeases,
    @inject(TOKENS.AdmissionSettings) private readonly settings: AdmissionSettings,
  ) {}

  /**
   * One member's wait (joins, a status asked of the queue). Answers within a second that read the
   * same lease ends (no place taken, renewed or given back since) share one simulation, told from
   * its `now` less the time gone by: a join used to simulate its whole queue ahead, O(ahead) each,
   * the most of a join's CPU in a long queue.
   */
  async wait(sale: SaleSettings, ahead: number, now: number): Promise<WaitEstimate> {
    const leaseEnds = await this.leaseEnds(sale.showId, sale.queue.maxActive, now);
    const kept = this.shared.get(sale.showId);
    const same = kept !== undefined && kept.queue === sale.queue && now - kept.at < FRESH_MS && sameEnds(kept.leaseEnds, leaseEnds);
    if (same && kept.maxAhead >= ahead) return kept.curve(ahead, Math.max(0, now - kept.at) / 1000);
    // further back than the curve reaches: a longer one, doubled so that a growing queue redraws it seldom
    const maxAhead = Math.max(ahead, SHARED_MIN_AHEAD, same ? 2 * kept.maxAhead : 0);
    const curve = this.drawCurve(sale, leaseEnds, maxAhead, now);
    this.shared.set(sale.showId, { leaseEnds, queue: sale.queue, at: now, maxAhead, curve });
    return curve(ahead);
  }

  /** The wait for every number ahead up to `maxAhead`, from one estimate (event streams: one a show and tick). */
  async curve(sale: SaleSettings, maxAhead: number, now: number): Promise<WaitCurve> {
    const leaseEnds = await this.leaseEnds(sale.showId, sale.queue.maxActive, now);
    return this.drawCurve(sale, leaseEnds, maxAhead, now);
  }

  private drawCurve(sale: SaleSettings, leaseEnds: number[], maxAhead: number, now: number): WaitCurve {
    const { leaseMs, maxSessionMs } = this.settings.lease;
    const { admitPerSecond, maxActive } = sale.queue;
    const sessionSeconds = { typical: leaseMs / 1000, longest: maxSessionMs / 1000 };
    return waitCurve({ admitPerSecond, maxActive, leaseEnds, now, sessionSeconds }, maxAhead);
  }

  /**
   * The show's curve, kept for polls while the queue's served counter stays at `served` (as a glance
   * read before the places were: no place taken since, so a free one is still free) and for at most
   * a second (the lease ends move as buyers renew).
   */
  curveWhileServed(sale: SaleSettings, served: number, now: number): Promise<WaitCurve> {
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

function sameEnds(a: number[], b: number[]): boolean {
  return a === b || (a.length === b.length && a.every((end, i) => end === b[i]));
}
