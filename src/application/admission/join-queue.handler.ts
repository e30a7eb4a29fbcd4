import { inject, injectable } from 'tsyringe';
import { JoinRateLimited, NotInQueue } from '../../domain/admission/admission.errors.js';
import type { AdmissionQueue } from '../ports/admission-queue.js';
import type { AdmissionTokens } from '../ports/admission-tokens.js';
import type { Clock } from '../ports/clock.js';
import type { DrawSeeds } from '../ports/draw-seeds.js';
import type { EventStore } from '../ports/event-store.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { SaleCatalog } from '../ports/sale-catalog.js';
import { TOKENS } from '../tokens.js';
import type { AdmissionSettings } from './admission-settings.js';
import { PreQueueDraw } from './pre-queue-draw.service.js';
import { closedReason, queuedSale } from './queued-sale.js';
import { toQueueView, type QueueView } from './queue-view.js';
import type { QueuePlaces } from './queue-places.js';
import { QueueWaits } from './queue-waits.js';
import type { LongPoll, QueueWatch } from './queue-watch.js';

export interface JoinQueue {
  showId: string;
  memberId: string;
  ip: string;
}

/** Takes a place in a show's waiting room (or reports the one already held). */
@injectable()
export class JoinQueueHandler {
  private readonly trackedAt = new Map<string, number>();
  private readonly preQueue: PreQueueDraw;

  constructor(
    @inject(TOKENS.AdmissionQueue) private readonly queue: AdmissionQueue,
    @inject(TOKENS.SaleCatalog) private readonly catalog: SaleCatalog,
    @inject(TOKENS.RateLimiter) private readonly limiter: RateLimiter,
    @inject(TOKENS.AdmissionTokens) private readonly tokens: AdmissionTokens,
    @inject(TOKENS.AdmissionSettings) private readonly settings: AdmissionSettings,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.QueueWatch) private readonly watch: QueueWatch,
    @inject(TOKENS.EventStore) events: EventStore,
    @inject(QueueWaits) private readonly waits: QueueWaits,
    @inject(TOKENS.DrawSeeds) seeds: DrawSeeds,
    @inject(TOKENS.QueuePlaces) private readonly places: QueuePlaces,
  ) {
    this.preQueue = new PreQueueDraw(queue, events, seeds);
  }

  /** With `poll`, a waiting member's answer is held back until their turn comes or the wait is over. */
  async handle(command: JoinQueue, poll?: LongPoll): Promise<QueueView> {
    // the counts and the sale at once: one round trip of waiting instead of two
    const [sale] = await Promise.all([queuedSale(this.catalog, command.showId), this.limit(command)]);
    const now = this.clock.now().getTime();
    const reason = closedReason(sale, now);
    if (reason) return { state: 'closed', reason };
    // the queue's clock, not this one, decides whether the join is in the pre-queue draw; a join
    // into an empty line is admitted at once, within the show's pace (none while admissions are paused)
    const pace = sale.queue.paused ? undefined : sale.queue;
    let place = await this.queue.join(command.showId, command.memberId, now, sale.salesOpenAt.getTime(), this.settings.lease, pace);
    await this.track(command.showId, now);
    // the draw's seed is committed as soon as someone is in it (once per show and process; the admitter's tick is the fallback)
    if (place.state === 'waiting' && place.preQueue) this.preQueue.commit(command.showId, now).catch(() => undefined);
    if (poll) place = await this.watch.until(command.showId, command.memberId, place, poll);
    // a lease that ran out during a long wait: the member is absent again, as a status would say
    const answeredAt = this.clock.now().getTime();
    // the member's polls to this process are answered from their ticket and the show's glance
    this.places.remember(command.showId, command.memberId, place, answeredAt);
    if (place.state === 'absent') throw new NotInQueue();
    const wait = place.state === 'waiting' && !place.preQueue ? await this.waits.wait(sale, place.ahead, answeredAt) : undefined;
    return toQueueView(place, {
      ...command,
      sale,
      now: answeredAt,
      tokens: this.tokens,
      tokenTtlSeconds: this.settings.tokenTtlSeconds,
      wait,
    });
  }

  /** Tells the admitter about the show; once per show every few seconds is enough. */
  private async track(showId: string, now: number): Promise<void> {
    if ((this.trackedAt.get(showId) ?? -Infinity) > now - 5_000) return;
    await this.queue.track(showId);
    this.trackedAt.set(showId, now);
  }

  /** Per address and per member, both counted in one call to the limiter. */
  private async limit({ ip, memberId }: JoinQueue): Promise<void> {
    const decision = await this.limiter.hitAll([
      { key: `admission:join:ip:${ip}`, ...this.settings.joinLimitPerIp },
      { key: `admission:join:member:${memberId}`, ...this.settings.joinLimitPerMember },
    ]);
    if (!decision.allowed) throw new JoinRateLimited(decision.retryAfterSeconds);
  }
}
