import { inject, injectable } from 'tsyringe';
import { NotInQueue } from '../../domain/admission/admission.errors.js';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import type { AdmissionTokens } from '../ports/admission-tokens.js';
import type { Clock } from '../ports/clock.js';
import type { SaleCatalog } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import type { AdmissionSettings } from './admission-settings.js';
import type { LongPoll, QueueWatch } from './queue-watch.js';
import { queuedSale } from './queued-sale.js';
import { toQueueView, type QueueView } from './queue-view.js';
import { QueueWaits } from './queue-waits.js';
import { QueueFollower, type QueueSink } from './queue-follower.js';
import { ShowMoments } from './show-moments.js';

export interface QueueStatus {
  showId: string;
  memberId: string;
}

/** Where a member stands; asking renews an admitted member's lease and hands out a fresh token. */
@injectable()
export class QueueStatusHandler {
  private readonly moments: ShowMoments;

  constructor(
    @inject(TOKENS.AdmissionQueue) private readonly queue: AdmissionQueue,
    @inject(TOKENS.SaleCatalog) private readonly catalog: SaleCatalog,
    @inject(TOKENS.AdmissionTokens) private readonly tokens: AdmissionTokens,
    @inject(TOKENS.AdmissionSettings) private readonly settings: AdmissionSettings,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.QueueWatch) private readonly watch: QueueWatch,
    @inject(QueueWaits) private readonly waits: QueueWaits,
  ) {
    this.moments = new ShowMoments(catalog, waits, tokens, settings.tokenTtlSeconds);
  }

  /** With `poll`, a waiting member's answer is held back until their turn comes or the wait is over. */
  async handle(query: QueueStatus, poll?: LongPoll): Promise<QueueView> {
    const sale = await queuedSale(this.catalog, query.showId);
    let place = await this.queue.status(query.showId, query.memberId, this.clock.now().getTime(), this.settings.lease);
    if (poll) place = await this.watch.until(query.showId, query.memberId, place, poll);
    if (place.state === 'absent') throw new NotInQueue();
    const now = this.clock.now().getTime();
    const wait = place.state === 'waiting' && !place.preQueue ? await this.waits.wait(sale, place.ahead, now) : undefined;
    return toQueueView(place, { ...query, sale, now, tokens: this.tokens, tokenTtlSeconds: this.settings.tokenTtlSeconds, wait });
  }

  /**
   * Where the member stands now (a 404 or 503 before any stream opens), and `start` to follow their
   * place on this process's queue watch from then on (an event stream; `stop` when it closes).
   */
  async follow(
    query: QueueStatus,
  ): Promise<{ first: QueueView; start(sink: QueueSink, options: { tokenRefreshMs: number }): { stop(): void } }> {
    const sale = await queuedSale(this.catalog, query.showId);
    const place = await this.queue.status(query.showId, query.memberId, this.clock.now().getTime(), this.settings.lease);
    if (place.state === 'absent') throw new NotInQueue();
    const now = this.clock.now().getTime();
    const wait = place.state === 'waiting' && !place.preQueue ? await this.waits.wait(sale, place.ahead, now) : undefined;
    const first = toQueueView(place, { ...query, sale, now, tokens: this.tokens, tokenTtlSeconds: this.settings.tokenTtlSeconds, wait });
    return {
      first,
      start: (sink, options) => {
        const follower = new QueueFollower(sink, this.moments, query.showId, query.memberId, options, first, now);
        if (first.state === 'closed') return { stop: () => undefined };
        return this.watch.follow(query.showId, query.memberId, place, follower);
      },
    };
  }
}
