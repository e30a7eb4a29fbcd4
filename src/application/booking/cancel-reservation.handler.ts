import { inject, injectable } from 'tsyringe';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import { derivedUuid } from './idempotent.js';
import { OwnHolds } from './own-hold.js';
import { READ_YOUR_WRITES_MS, RESERVATIONS_PROJECTION } from './read-models.js';

/** Cancels a reservation before the show starts; its seats are for sale again. */
@injectable()
export class CancelReservationHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(OwnHolds) private readonly holds: OwnHolds,
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
  ) {}

  /** `by` and `reason`: an admin cancelling on the member's behalf (recorded in the event). */
  async handle(input: { reservationId: string; memberId: string; idempotencyKey?: string; by?: string; reason?: string }): Promise<void> {
    const { reservationId, memberId } = input;
    const onBehalf = input.by === undefined ? {} : { by: input.by, reason: input.reason };
    const request = { operation: 'cancel', target: { reservationId }, memberId, idempotencyKey: input.idempotencyKey };
    await this.holds.on(request, async (hold, showId) => {
      const outcome = await this.processor.execute({
        showId,
        memberId,
        parts: hold.parts.map((p) => p.part),
        command: (now) => ({ type: 'CancelReservation', showId, memberId, reservationId, now, ...onBehalf }),
        result: () => null,
        eventId: (index) => derivedUuid('cancel-event', reservationId, String(index)),
      });
      if (outcome.position > 0) await this.waiter.waitFor(RESERVATIONS_PROJECTION, outcome.position, READ_YOUR_WRITES_MS);
      return null;
    });
  }
}
