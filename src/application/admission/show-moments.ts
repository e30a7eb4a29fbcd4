import type { MemberPlace } from '../ports/admission-queue.js';
import type { AdmissionTokens } from '../ports/admission-tokens.js';
import type { SaleCatalog, SaleSettings } from '../ports/sale-catalog.js';
import { queuedSale } from './queued-sale.js';
import { toQueueView, type QueueView } from './queue-view.js';
import type { QueueWaits } from './queue-waits.js';
import type { WaitEstimate } from './wait-estimate.js';

/** A show at one moment: its sale and the wait for any number ahead, read once for every member. */
export class ShowMoment {
  constructor(
    readonly showId: string,
    readonly sale: SaleSettings,
    readonly at: number,
    private readonly waitFor: (ahead: number) => WaitEstimate,
    private readonly tokens: AdmissionTokens,
    private readonly tokenTtlSeconds: number,
  ) {}

  view(memberId: string, place: Exclude<MemberPlace, { state: 'absent' }>, now: number): QueueView {
    const wait = place.state === 'waiting' && !place.preQueue ? this.waitFor(place.ahead) : undefined;
    return toQueueView(place, {
      showId: this.showId,
      memberId,
      sale: this.sale,
      now,
      tokens: this.tokens,
      tokenTtlSeconds: this.tokenTtlSeconds,
      wait,
    });
  }
}

// the sale and the lease ends change slowly: a second old is fresh enough for a position
const FRESH_MS = 1000;

/** Shows at the moment, each read at most once a second however many members are told of it. */
export class ShowMoments {
  private readonly moments = new Map<string, { at: number; moment: Promise<ShowMoment> }>();

  constructor(
    private readonly catalog: SaleCatalog,
    private readonly waits: QueueWaits,
    private readonly tokens: AdmissionTokens,
    private readonly tokenTtlSeconds: number,
  ) {}

  moment(showId: string, now: number): Promise<ShowMoment> {
    const cached = this.moments.get(showId);
    if (cached && now - cached.at < FRESH_MS) return cached.moment;
    const moment = this.read(showId, now);
    this.moments.set(showId, { at: now, moment });
    moment.catch(() => this.moments.delete(showId));
    return moment;
  }

  private async read(showId: string, now: number): Promise<ShowMoment> {
    const sale = await queuedSale(this.catalog, showId);
    const waitFor = await this.waits.curve(sale, Number.MAX_SAFE_INTEGER, now);
    return new ShowMoment(showId, sale, now, waitFor, this.tokens, this.tokenTtlSeconds);
  }
}
