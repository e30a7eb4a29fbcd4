import { inject, injectable } from 'tsyringe';
import { reservationIdOf } from '../../domain/booking/booking-ids.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import type { ReservationView } from './hold-view.js';
import { derivedUuid } from './idempotent.js';
import { OwnHolds } from './own-hold.js';

/** Turns a live hold into a reservation; confirming twice answers with the same reservation. */
@injectable()
export class ConfirmHoldHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(OwnHolds) private readonly holds: OwnHolds,
  ) {}

  async handle(input: { holdId: string; memberId: string; idempotencyKey?: string }): Promise<ReservationView> {
    const { holdId, memberId } = input;
    const request = { operation: 'confirm', target: { holdId }, memberId, idempotencyKey: input.idempotencyKey };
    return this.holds.on(request, async (hold, showId) => {
      const reservationId = reservationIdOf(holdId);
      const outcome = await this.processor.execute({
        showId,
        memberId,
        parts: hold.parts.map((p) => p.part),
        command: (now) => ({ type: 'ConfirmHold', showId, memberId, holdId, reservationId, now }),
        result: (state): ReservationView => {
          const { seats, quantity, total, currency } = state.ledger.holds.get(holdId)!;
          return { reservationId, holdId, showId, seats, quantity, total, currency };
        },
        eventId: (index) => derivedUuid('confirm-event', holdId, String(index)),
      });
      // the answer comes from the member's ledger; GET /api/members/me/reservations waits for its read model
      if (outcome.position > 0) await this.holds.letGo({ holdId, showId, memberId, admittedAt: hold.admittedAt });
      return outcome.result;
    });
  }
}
