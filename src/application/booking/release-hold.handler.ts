import { inject, injectable } from 'tsyringe';
import { parseBookingRef } from '../../domain/booking/booking-ids.js';
import { HoldNotFound } from '../../domain/booking/booking.errors.js';
import type { AdmissionGate } from '../ports/admission-gate.js';
import type { HoldDeadlines } from '../ports/hold-deadlines.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import { BookingStreams } from './booking-streams.js';
import { findHold } from './find-hold.js';
import { derivedUuid, idempotent } from './idempotent.js';

/** Gives a hold's seats back at once; releasing twice (or after expiry) changes nothing more. */
@injectable()
export class ReleaseHoldHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(BookingStreams) private readonly streams: BookingStreams,
    @inject(TOKENS.AdmissionGate) private readonly gate: AdmissionGate,
    @inject(TOKENS.HoldDeadlines) private readonly deadlines: HoldDeadlines,
    @inject(TOKENS.IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  async handle(input: { holdId: string; memberId: string; idempotencyKey?: string }): Promise<void> {
    const { holdId, memberId } = input;
    const ref = parseBookingRef(holdId, 'h');
    if (!ref) throw new HoldNotFound(holdId);
    const { showId } = ref;
    await idempotent(this.idempotency, { scope: `release:${memberId}`, key: input.idempotencyKey, content: { holdId } }, async () => {
      const hold = await findHold(this.streams, showId, memberId, (h) => h.holdId === holdId);
      if (!hold) throw new HoldNotFound(holdId);
      const outcome = await this.processor.execute({
        showId,
        memberId,
        parts: hold.parts.map((p) => p.part),
        command: (now) => ({ type: 'ReleaseHold', showId, memberId, holdId, now }),
        result: () => null,
        eventId: (index) => derivedUuid('release-event', holdId, String(index)),
      });
      if (outcome.position > 0) {
        await Promise.all([
          this.deadlines.cancel(holdId, memberId).catch(() => undefined),
          this.gate.release(showId, memberId).catch(() => undefined),
        ]);
      }
      return null;
    });
  }
}
