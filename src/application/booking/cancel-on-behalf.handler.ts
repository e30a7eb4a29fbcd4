import { inject, injectable } from 'tsyringe';
import { ReservationNotFound } from '../../domain/booking/booking.errors.js';
import type { ReservationOwners } from '../ports/reservation-owners.js';
import { TOKENS } from '../tokens.js';
import { CancelReservationHandler } from './cancel-reservation.handler.js';

/** An admin cancels a buyer's reservation for them, with a reason: both go into the event. */
@injectable()
export class CancelOnBehalfHandler {
  constructor(
    @inject(TOKENS.ReservationOwners) private readonly owners: ReservationOwners,
    @inject(CancelReservationHandler) private readonly cancel: CancelReservationHandler,
  ) {}

  async handle(input: { reservationId: string; adminId: string; reason: string; idempotencyKey?: string }): Promise<void> {
    // the owner of a reservation never changes, so the read model may name them
    const memberId = await this.owners.ownerOf(input.reservationId);
    if (!memberId) throw new ReservationNotFound(input.reservationId);
    const { reservationId, reason, idempotencyKey } = input;
    await this.cancel.handle({ reservationId, memberId, by: input.adminId, reason, ...(idempotencyKey ? { idempotencyKey } : {}) });
  }
}
