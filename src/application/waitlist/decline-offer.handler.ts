import { inject, injectable } from 'tsyringe';
import { NoOffer } from '../../domain/waitlist/waitlist.errors.js';
import { ReleaseHoldHandler } from '../booking/release-hold.handler.js';
import type { EventStore } from '../ports/event-store.js';
import { hasCode } from '../members/error-code.js';
import { TOKENS } from '../tokens.js';
import { loadWaitlist } from './waitlist-stream.js';

/**
 * Declines the member's open offer: releases the offered hold like any release. The waiting-list
 * reactor sees the seats come back, records the offer as declined and offers them to the next.
 */
@injectable()
export class DeclineOfferHandler {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(ReleaseHoldHandler) private readonly release: ReleaseHoldHandler,
  ) {}

  async handle(input: { showId: string; memberId: string }): Promise<void> {
    const { state } = await loadWaitlist(this.store, input.showId);
    const entry = state.entries.find((e) => e.memberId === input.memberId);
    if (!entry?.holdId) throw new NoOffer();
    await this.release.handle({ holdId: entry.holdId, memberId: input.memberId }).catch((error: unknown) => {
      // recorded, but its hold not placed yet: nothing to decline so far
      throw hasCode(error, 'BOOKING.HOLD_NOT_FOUND') ? new NoOffer() : error;
    });
  }
}
