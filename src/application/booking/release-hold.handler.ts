import { inject, injectable } from 'tsyringe';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import { derivedUuid } from './idempotent.js';
import { OwnHolds } from './own-hold.js';

/** Gives a hold's seats back at once; releasing twice (or after expiry) changes nothing more. */
@injectable()
export class ReleaseHoldHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(OwnHolds) private readonly holds: OwnHolds,
  ) {}

  async handle(input: { holdId: string; memberId: string; idempotencyKey?: string }): Promise<void> {
    const { holdId, memberId } = input;
    const request = { operation: 'release', target: { holdId }, memberId, idempotencyKey: input.idempotencyKey };
    await this.holds.on(request, async (hold, showId) => {
      const outcome = await this.processor.execute({
        showId,
        memberId,
        parts: hold.parts.map((p) => p.part),
        command: (now) => ({ type: 'ReleaseHold', showId, memberId, holdId, now }),
        result: () => null,
        eventId: (index) => derivedUuid('release-event', holdId, String(index)),
      });
      if (outcome.position > 0) await this.holds.letGo({ holdId, showId, memberId, admittedAt: hold.admittedAt });
      return null;
    });
  }
}
