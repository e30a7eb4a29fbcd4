import { inject, injectable } from 'tsyringe';
import { AdmissionInvalid, AdmissionRequired } from '../../domain/admission/admission.errors.js';
import { claimsProblem } from '../../domain/admission/admission-token.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { AdmissionGate } from '../ports/admission-gate.js';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import type { AdmissionTokens } from '../ports/admission-tokens.js';
import type { Clock } from '../ports/clock.js';
import type { SaleCatalog } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import { AdmitShowHandler } from './admit-show.handler.js';
import type { AdmissionSettings } from './admission-settings.js';

/** The booking module's door: a hold on a queued show needs a valid token and a live lease. */
@injectable()
export class QueueAdmissionGate implements AdmissionGate {
  /** Shows with places freed in this turn of the event loop: refilled together, once each. */
  private readonly freed = new Set<string>();

  constructor(
    @inject(TOKENS.AdmissionQueue) private readonly queue: AdmissionQueue,
    @inject(TOKENS.SaleCatalog) private readonly catalog: SaleCatalog,
    @inject(TOKENS.AdmissionTokens) private readonly tokens: AdmissionTokens,
    @inject(TOKENS.AdmissionSettings) private readonly settings: AdmissionSettings,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(AdmitShowHandler) private readonly admitter: AdmitShowHandler,
  ) {}

  async verify(showId: string, memberId: string, admissionToken: string | undefined): Promise<number | undefined> {
    const sale = await this.catalog.saleSettings(showId);
    if (!sale?.queue.enabled) return undefined;
    if (!admissionToken) throw new AdmissionRequired();
    const claims = this.tokens.read(admissionToken);
    if (!claims) throw new AdmissionInvalid('its signature does not check out');
    const now = this.clock.now().getTime();
    const problem = claimsProblem(claims, memberId, showId, now);
    if (problem) throw new AdmissionInvalid(problem);
    // the lease, not only the token: leaving or going silent ends the admission at once
    const lease = await this.queue.renew(showId, memberId, now, this.settings.lease);
    if (lease === undefined) throw new AdmissionInvalid('the admission has ended; join the queue again');
    return lease.admittedAt;
  }

  /** Done shopping: the admission's lease ends (not a later one), and the place goes to the next member at once. */
  async release(showId: string, memberId: string, admittedAt: number): Promise<void> {
    const released = await ignoreUnavailable(() => this.queue.release(showId, memberId, admittedAt));
    if (released) this.refillSoon(showId);
  }

  private refillSoon(showId: string): void {
    if (this.freed.has(showId)) return;
    this.freed.add(showId);
    setImmediate(() => {
      this.freed.delete(showId);
      // the admitter's next tick is the fallback: a failed refill only waits for it
      this.admitter.refill(showId).catch(() => undefined);
    });
  }

  async soldOut(showId: string): Promise<void> {
    await ignoreUnavailable(() => this.queue.close(showId, 'sold_out', this.clock.now().getTime()));
  }
}

/** A confirm must not fail because the queue is down: the lease runs out and the admitter notices. */
async function ignoreUnavailable<T>(operation: () => Promise<T>): Promise<T | undefined> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof DomainError && error.kind === 'unavailable')) throw error;
    return undefined;
  }
}
