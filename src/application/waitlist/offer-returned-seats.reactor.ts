import { inject, injectable } from 'tsyringe';
import { holdIdOf } from '../../domain/booking/booking-ids.js';
import type { HoldConfirmed, SeatsReleased } from '../../domain/booking/booking.events.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { WaitlistCommand } from '../../domain/waitlist/waitlist.commands.js';
import type { OfferFailure } from '../../domain/waitlist/waitlist.events.js';
import type { OpenOffer, WaitlistState } from '../../domain/waitlist/waitlist.state.js';
import type { BookingProcessor } from '../booking/booking-processor.js';
import { derivedKey, derivedUuid } from '../booking/idempotent.js';
import type { Clock } from '../ports/clock.js';
import type { EventStore, RecordedEvent } from '../ports/event-store.js';
import type { HoldDeadlines } from '../ports/hold-deadlines.js';
import { TOKENS } from '../tokens.js';
import { decideOnWaitlist, loadWaitlist } from './waitlist-stream.js';

type Logger = { warn(details: object, message: string): void };
type Config = { WAITLIST_OFFER_MINUTES: number };

const SETTLED_BY: Record<SeatsReleased['data']['reason'], 'released' | 'expired' | undefined> = {
  released: 'released',
  expired: 'expired',
  cancelled: undefined,
};

/**
 * The waiting list's process manager. Seats that come back (SeatsReleased) settle the offer they
 * were (if any) and are offered down the list: first the offer is recorded on the list's stream
 * (its version makes each seat go to one member), then the hold is placed in the member's name
 * through the booking decider (so no seat is sold twice and per-member limits hold), with the
 * offer's deadline. Ids derive from the triggering event: a redelivery places the same holds.
 */
@injectable()
export class OfferReturnedSeatsReactor {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(TOKENS.HoldDeadlines) private readonly deadlines: HoldDeadlines,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Config) private readonly config: Config,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /**
   * Acts on `events` in order, calling `acted` after each. A confirmation settles an offer only if
   * its hold was one, and the offer is on the list before its hold is placed, so before any
   * confirmation of it: the list read once per show for the batch (after the events were in the
   * log) tells which confirmations have nothing to settle, without a read of the list each.
   */
  async reactAll(events: RecordedEvent[], acted: (event: RecordedEvent) => void): Promise<void> {
    const lists = new Map<string, Promise<WaitlistState>>();
    for (const event of events) {
      if (event.type === 'HoldConfirmed') {
        const { showId, holdId } = event.data as HoldConfirmed['data'];
        let list = lists.get(showId);
        if (!list) lists.set(showId, (list = loadWaitlist(this.store, showId).then((loaded) => loaded.state)));
        if (!(await list).offers.has(holdId)) {
          acted(event);
          continue;
        }
      }
      await this.react(event);
      acted(event);
    }
  }

  async react(event: RecordedEvent): Promise<void> {
    if (event.type === 'HoldConfirmed') return this.confirmed(event.data as HoldConfirmed['data']);
    if (event.type === 'SeatsReleased') return this.returned(event.id, event.data as SeatsReleased['data']);
  }

  private async confirmed({ showId, holdId }: HoldConfirmed['data']): Promise<void> {
    await decideOnWaitlist(this.store, showId, (state) =>
      state.offers.has(holdId) ? [{ type: 'SettleOffer', showId, holdId, outcome: 'confirmed', now: this.clock.now() }] : [],
    );
  }

  private async returned(source: string, released: SeatsReleased['data']): Promise<void> {
    const { showId, holdId } = released;
    const settled = SETTLED_BY[released.reason];
    const { state } = await decideOnWaitlist(this.store, showId, (list) => {
      const now = this.clock.now();
      const commands: WaitlistCommand[] = [];
      if (settled && list.offers.has(holdId)) commands.push({ type: 'SettleOffer', showId, holdId, outcome: settled, now });
      commands.push(this.offerCommand(showId, source, released.part, released.seats, released.quantity, now));
      return commands;
    });
    await this.placeHolds(showId, source, state);
  }

  private offerCommand(showId: string, source: string, part: string, seats: string[], quantity: number, now: Date): WaitlistCommand {
    const holdIds = Array.from({ length: quantity }, (_, i) => holdIdOf(showId, derivedKey('waitlist-offer', source, String(i))));
    const offerMinutes = this.config.WAITLIST_OFFER_MINUTES;
    return { type: 'OfferReturnedSeats', showId, source, part, seats, quantity, holdIds, now, offerMinutes };
  }

  /** Places the hold of every open offer made for `source` (again, after a crash: the same hold id is a no-op). */
  private async placeHolds(showId: string, source: string, state: WaitlistState): Promise<void> {
    for (const offer of [...state.offers.values()].filter((o) => o.source === source)) {
      const failure = await this.placeHold(showId, offer);
      if (failure) await this.failed(showId, offer, failure);
    }
  }

  private async placeHold(showId: string, offer: OpenOffer): Promise<OfferFailure | undefined> {
    const { memberId, holdId, part, seats, quantity } = offer;
    const expiresAt = new Date(offer.expiresAt);
    try {
      const outcome = await this.processor.execute({
        showId,
        memberId,
        parts: [part],
        command: (now) => ({
          type: 'HoldSeats',
          showId,
          memberId,
          holdId,
          request: seats.length > 0 ? { seats } : { quantity },
          poolParts: seats.length > 0 ? undefined : [part],
          now,
          expiresAt,
          waitlistOffer: true,
        }),
        result: () => null,
        eventId: (index) => derivedUuid('waitlist-hold-event', holdId, String(index)),
      });
      if (outcome.events.length > 0) {
        await this.deadlines.schedule({ showId, memberId, holdId, expiresAt }).catch((error: unknown) => {
          this.logger.warn({ err: error, holdId }, 'could not schedule a waiting-list offer deadline');
        });
      }
      return undefined;
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
      if (error.code === 'BOOKING.LIMIT_EXCEEDED') return 'limit';
      if (error.code === 'BOOKING.SALES_CLOSED') return 'sales-closed';
      return 'seats-taken';
    }
  }

  /** A hold that could not be placed; when the member's limit was the reason, the seats are still free and go to the next. */
  private async failed(showId: string, offer: OpenOffer, failure: OfferFailure): Promise<void> {
    const source = `${offer.holdId}:${failure}`;
    const { state } = await decideOnWaitlist(this.store, showId, (list) => {
      const now = this.clock.now();
      const settle: WaitlistCommand = { type: 'SettleOffer', showId, holdId: offer.holdId, outcome: failure, now };
      if (failure !== 'limit' || !list.offers.has(offer.holdId)) return [settle];
      return [settle, this.offerCommand(showId, source, offer.part, offer.seats, offer.quantity, now)];
    });
    if (failure === 'limit') await this.placeHolds(showId, source, state);
  }
}
