import { inject, injectable } from 'tsyringe';
import { NotInQueue } from '../../domain/admission/admission.errors.js';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import type { AdmissionTokens } from '../ports/admission-tokens.js';
import type { Clock } from '../ports/clock.js';
import type { SaleCatalog } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import type { AdmissionSettings } from './admission-settings.js';
import { queuedSale } from './queued-sale.js';
import { toQueueView, type QueueView } from './queue-view.js';

export interface QueueStatus {
  showId: string;
  memberId: string;
}

/** Where a member stands; asking renews an admitted member's lease and hands out a fresh token. */
@injectable()
export class QueueStatusHandler {
  constructor(
    @inject(TOKENS.AdmissionQueue) private readonly queue: AdmissionQueue,
    @inject(TOKENS.SaleCatalog) private readonly catalog: SaleCatalog,
    @inject(TOKENS.AdmissionTokens) private readonly tokens: AdmissionTokens,
    @inject(TOKENS.AdmissionSettings) private readonly settings: AdmissionSettings,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async handle(query: QueueStatus): Promise<QueueView> {
    const sale = await queuedSale(this.catalog, query.showId);
    const now = this.clock.now().getTime();
    const place = await this.queue.status(query.showId, query.memberId, now, this.settings.lease);
    if (place.state === 'absent') throw new NotInQueue();
    return toQueueView(place, { ...query, sale, now, tokens: this.tokens, tokenTtlSeconds: this.settings.tokenTtlSeconds });
  }
}
