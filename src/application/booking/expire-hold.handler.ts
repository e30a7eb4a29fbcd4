import { inject, injectable } from 'tsyringe';
import type { AdmissionGate } from '../ports/admission-gate.js';
import type { HoldDeadline } from '../ports/hold-deadlines.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import { BookingStreams } from './booking-streams.js';
import { findHold } from './find-hold.js';
import { endHoldAdmission } from './own-hold.js';
import { derivedUuid } from './idempotent.js';

/**
 * Records HoldExpired for a hold past its deadline. Safe to run twice or in two processes at
 * once: the second finds the hold expired (or loses on the expected version) and writes nothing.
 * Answers `expired` when this call recorded the expiry, `not-due` when the hold is still open
 * (a clock behind the deadline's), `gone` when it was confirmed, released or expired already.
 */
@injectable()
export class ExpireHoldHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(BookingStreams) private readonly streams: BookingStreams,
    @inject(TOKENS.AdmissionGate) private readonly gate: AdmissionGate,
  ) {}

  async handle(deadline: HoldDeadline): Promise<'expired' | 'not-due' | 'gone'> {
    const { showId, memberId, holdId } = deadline;
    const hold = await findHold(this.streams, showId, memberId, (h) => h.holdId === holdId);
    if (!hold || hold.status !== 'held') return 'gone';
    const outcome = await this.processor.execute({
      showId,
      memberId,
      parts: hold.parts.map((p) => p.part),
      command: (now) => ({ type: 'ExpireHold', showId, memberId, holdId, now }),
      result: (state) => state.ledger.holds.get(holdId)?.status,
      eventId: (index) => derivedUuid('expire-event', holdId, String(index)),
    });
    if (outcome.position === 0) return outcome.result === 'held' ? 'not-due' : 'gone';
    await endHoldAdmission(this.gate, { showId, memberId, admittedAt: hold.admittedAt });
    return 'expired';
  }
}
