import { inject, injectable } from 'tsyringe';
import { holdIdOfReservation, parseBookingRef } from '../../domain/booking/booking-ids.js';
import { HoldNotFound, ReservationNotFound } from '../../domain/booking/booking.errors.js';
import type { LedgerHold } from '../../domain/booking/ledger.state.js';
import type { AdmissionGate } from '../ports/admission-gate.js';
import type { HoldDeadlines } from '../ports/hold-deadlines.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import { TOKENS } from '../tokens.js';
import { BookingStreams } from './booking-streams.js';
import { findHold } from './find-hold.js';
import { idempotent } from './idempotent.js';

/** A member's request on one of their holds, named by the hold or by its reservation. */
export interface OwnHoldRequest {
  /** The idempotency scope's operation: `confirm`, `release`, `cancel`. */
  operation: string;
  target: { holdId: string } | { reservationId: string };
  memberId: string;
  idempotencyKey?: string;
}

/**
 * What confirm, release and cancel share. The opening: the reference parsed (a malformed one is not
 * found), the work run once per Idempotency-Key, and the hold found in the member's own ledger
 * (somebody else's is not found either). And the ending of a hold confirmed or released.
 */
@injectable()
export class OwnHolds {
  constructor(
    @inject(BookingStreams) private readonly streams: BookingStreams,
    @inject(TOKENS.IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @inject(TOKENS.HoldDeadlines) private readonly deadlines: HoldDeadlines,
    @inject(TOKENS.AdmissionGate) private readonly gate: AdmissionGate,
  ) {}

  /** Runs `work` on the member's hold named by the request. */
  async on<T>(request: OwnHoldRequest, work: (hold: LedgerHold, showId: string) => Promise<T>): Promise<T> {
    const { target, memberId } = request;
    const reservationId = 'reservationId' in target ? target.reservationId : undefined;
    const id = reservationId ?? (target as { holdId: string }).holdId;
    const notFound = () => (reservationId ? new ReservationNotFound(id) : new HoldNotFound(id));
    const ref = parseBookingRef(id, reservationId ? 'r' : 'h');
    if (!ref) throw notFound();
    const holdId = reservationId ? holdIdOfReservation(reservationId) : id;
    const matches = (hold: LedgerHold) => hold.holdId === holdId && (!reservationId || hold.reservationId === reservationId);
    const idempotentRequest = { scope: `${request.operation}:${memberId}`, key: request.idempotencyKey, content: target };
    return idempotent(this.idempotency, idempotentRequest, async () => {
      const hold = await findHold(this.streams, ref.showId, memberId, matches);
      if (!hold) throw notFound();
      return work(hold, ref.showId);
    });
  }

  /**
   * A hold confirmed or released: its deadline is dropped and the place its admission took in the
   * sale given back (best effort); a later admission of the member stands.
   */
  async letGo(hold: { holdId: string; showId: string; memberId: string; admittedAt?: number }): Promise<void> {
    await Promise.all([this.deadlines.cancel(hold.holdId, hold.memberId).catch(() => undefined), endHoldAdmission(this.gate, hold)]);
  }
}

/** Ends the admission a hold was made under; a hold without one (no queue, or made before holds named it) ends none. */
export async function endHoldAdmission(
  gate: AdmissionGate,
  hold: { showId: string; memberId: string; admittedAt?: number },
): Promise<void> {
  if (hold.admittedAt === undefined) return;
  await gate.release(hold.showId, hold.memberId, hold.admittedAt).catch(() => undefined);
}
