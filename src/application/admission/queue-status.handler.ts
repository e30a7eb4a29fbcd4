import { inject, injectable } from 'tsyringe';
import { NotInQueue } from '../../domain/admission/admission.errors.js';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import type { AdmissionTokens } from '../ports/admission-tokens.js';
import type { Clock } from '../ports/clock.js';
import type { SaleCatalog, SaleSettings } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import type { AdmissionSettings } from './admission-settings.js';
import type { LongPoll, QueueWatch } from './queue-watch.js';
import type { QueuePlaces, Told } from './queue-places.js';
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
    @inject(TOKENS.QueuePlaces) private readonly places: QueuePlaces,
  ) {
    this.moments = new ShowMoments(catalog, waits, tokens, settings.tokenTtlSeconds);
  }

  /**
   * With `poll`, a waiting member's answer is held back until their turn comes or the wait is over.
   * A waiting member this process knows is placed by the show's latest glance (QueuePlaces): no
   * look-up of their own, at most a period (streamPollMs) behind; anyone else asks the queue.
   */
  async handle(query: QueueStatus, poll?: LongPoll): Promise<QueueView> {
    const asked = this.clock.now().getTime();
    const [told, sale] = await Promise.all([
      this.places.place(query.showId, query.memberId, asked),
      queuedSale(this.catalog, query.showId),
    ]);
    if (told && (told.place.state === 'closed' || !poll)) return this.byGlance(query, sale, told);
    const known = told?.place;
    let place = known ?? (await this.queue.status(query.showId, query.memberId, asked, this.settings.lease));
    if (poll) place = await this.watch.until(query.showId, query.memberId, place, poll);
    const now = this.clock.now().getTime();
    // a ticket is remembered as the queue told it (not as a glance placed it), and forgotten once not waiting
    if (!known || place.state !== 'waiting') this.places.remember(query.showId, query.memberId, place, now);
    if (place.state === 'absent') throw new NotInQueue();
    const wait = place.state === 'waiting' && !place.preQueue ? await this.waits.wait(sale, place.ahead, now) : undefined;
    return toQueueView(place, { ...query, sale, now, tokens: this.tokens, tokenTtlSeconds: this.settings.tokenTtlSeconds, wait });
  }

  /** A known member's answer from the show's glance, the wait from the show's curve while no place was taken since. */
  private async byGlance(query: QueueStatus, sale: SaleSettings, { place, glance }: Told): Promise<QueueView> {
    const now = this.clock.now().getTime();
    const wait = place.state === 'waiting' ? (await this.waits.curveWhileServed(sale, glance.served, now))(place.ahead) : undefined;
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
    const now = this.clock.now().getTime();
    this.places.remember(query.showId, query.memberId, place, now);
    if (place.state === 'absent') throw new NotInQueue();
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
