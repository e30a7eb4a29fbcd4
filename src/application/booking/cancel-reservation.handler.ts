import { inject, injectable } from 'tsyringe';
import { holdIdOfReservation, parseBookingRef } from '../../domain/booking/booking-ids.js';
import { ReservationNotFound } from '../../domain/booking/booking.errors.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import { BookingStreams } from './booking-streams.js';
import { findHold } from './find-hold.js';
import { derivedUuid, idempotent } from './idempotent.js';
import { READ_YOUR_WRITES_MS, RESERVATIONS_PROJECTION } from './read-models.js';

/** Cancels a reservation before the show starts; its seats are for sale again. */
@injectable()
export class CancelReservationHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(BookingStreams) private readonly streams: BookingStreams,
    @inject(TOKENS.IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
  ) {}

  async handle(input: { reservationId: string; memberId: string; idempotencyKey?: string }): Promise<void> {
    const { reservationId, memberId } = input;
    const ref = parseBookingRef(reservationId, 'r');
    if (!ref) throw new ReservationNotFound(reservationId);
    const { showId } = ref;
    const holdId = holdIdOfReservation(reservationId);
    const request = { scope: `cancel:${memberId}`, key: input.idempotencyKey, content: { reservationId } };
    await idempotent(this.idempotency, request, async () => {
      const hold = await findHold(this.streams, showId, memberId, (h) => h.holdId === holdId && h.reservationId === reservationId);
      if (!hold) throw new ReservationNotFound(reservationId);
      const outcome = await this.processor.execute({
        showId,
        memberId,
        parts: hold.parts.map((p) => p.part),
        command: (now) => ({ type: 'CancelReservation', showId, memberId, reservationId, now }),
        result: () => null,
        eventId: (index) => derivedUuid('cancel-event', reservationId, String(index)),
      });
      if (outcome.position > 0) await this.waiter.waitFor(RESERVATIONS_PROJECTION, outcome.position, READ_YOUR_WRITES_MS);
      return null;
    });
  }
}
