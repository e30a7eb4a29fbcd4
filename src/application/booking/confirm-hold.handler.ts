import { inject, injectable } from 'tsyringe';
import { parseBookingRef, reservationIdOf } from '../../domain/booking/booking-ids.js';
import { HoldNotFound } from '../../domain/booking/booking.errors.js';
import type { AdmissionGate } from '../ports/admission-gate.js';
import type { HoldDeadlines } from '../ports/hold-deadlines.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import { BookingStreams } from './booking-streams.js';
import { findHold } from './find-hold.js';
import type { ReservationView } from './hold-view.js';
import { derivedUuid, idempotent } from './idempotent.js';

/** Turns a live hold into a reservation; confirming twice answers with the same reservation. */
@injectable()
export class ConfirmHoldHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(BookingStreams) private readonly streams: BookingStreams,
    @inject(TOKENS.AdmissionGate) private readonly gate: AdmissionGate,
    @inject(TOKENS.HoldDeadlines) private readonly deadlines: HoldDeadlines,
    @inject(TOKENS.IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  async handle(input: { holdId: string; memberId: string; idempotencyKey?: string }): Promise<ReservationView> {
    const { holdId, memberId } = input;
    const ref = parseBookingRef(holdId, 'h');
    if (!ref) throw new HoldNotFound(holdId);
    const { showId } = ref;
    const request = { scope: `confirm:${memberId}`, key: input.idempotencyKey, content: { holdId } };
    return idempotent(this.idempotency, request, async () => {
      const hold = await findHold(this.streams, showId, memberId, (h) => h.holdId === holdId);
      if (!hold) throw new HoldNotFound(holdId);
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
      if (outcome.position > 0) {
        // the answer comes from the member's ledger; GET /api/members/me/reservations waits for its read model
        await Promise.all([
          this.deadlines.cancel(holdId, memberId).catch(() => undefined),
          this.gate.release(showId, memberId).catch(() => undefined),
        ]);
      }
      return outcome.result;
    });
  }
}
