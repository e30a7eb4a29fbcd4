import { inject, injectable } from 'tsyringe';
import type { Clock } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';
import { decideOnWaitlist } from './waitlist-stream.js';

/** Takes a member off a show's waiting list (refused while an offer is open to them). */
@injectable()
export class LeaveWaitlistHandler {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async handle(input: { showId: string; memberId: string }): Promise<void> {
    const { showId, memberId } = input;
    await decideOnWaitlist(this.store, showId, () => [{ type: 'LeaveWaitlist', showId, memberId, now: this.clock.now() }]);
  }
}
