import { inject, injectable } from 'tsyringe';
import type { EventStore } from '../ports/event-store.js';
import { WrongExpectedVersion } from '../ports/event-store.errors.js';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import { readTickets } from '../tickets/check-in-streams.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import { derivedUuid } from './idempotent.js';
import { OwnHolds } from './own-hold.js';
import { READ_YOUR_WRITES_MS, RESERVATIONS_PROJECTION } from './read-models.js';

/** Times a cancel is decided again when a gate admits one of its tickets meanwhile (then it is refused). */
const MAX_ATTEMPTS = 5;

/**
 * Cancels a reservation before the show starts and before any of its tickets was admitted at the
 * door; its seats are for sale again. The check-ins are read from the reservation's tickets stream
 * and the cancel commits only if that stream has not moved (a guard of the append): a scan and a
 * cancel at the same moment, on any processes, end as one of the two, never both.
 */
@injectable()
export class CancelReservationHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(OwnHolds) private readonly holds: OwnHolds,
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
  ) {}

  /** `by` and `reason`: an admin cancelling on the member's behalf (recorded in the event). */
  async handle(input: { reservationId: string; memberId: string; idempotencyKey?: string; by?: string; reason?: string }): Promise<void> {
    const { reservationId, memberId } = input;
    const onBehalf = input.by === undefined ? {} : { by: input.by, reason: input.reason };
    const request = { operation: 'cancel', target: { reservationId }, memberId, idempotencyKey: input.idempotencyKey };
    await this.holds.on(request, async (hold, showId) => {
      for (let attempt = 1; ; attempt++) {
        const tickets = await readTickets(this.store, reservationId);
        const checkedIn = tickets.events.map(({ data }) => ({ ticketId: data.ticketId, gate: data.gate, checkedInAt: data.checkedInAt }));
        try {
          const outcome = await this.processor.execute({
            showId,
            memberId,
            parts: hold.parts.map((p) => p.part),
            command: (now) => ({
              type: 'CancelReservation',
              showId,
              memberId,
              reservationId,
              now,
              checkedIn,
              ...onBehalf,
            }),
            result: () => null,
            eventId: (index) => derivedUuid('cancel-event', reservationId, String(index)),
            guards: [{ streamId: tickets.streamId, version: tickets.version }],
          });
          if (outcome.position > 0) await this.waiter.waitFor(RESERVATIONS_PROJECTION, outcome.position, READ_YOUR_WRITES_MS);
          return null;
        } catch (error) {
          const ticketsMoved = error instanceof WrongExpectedVersion && error.streamId === tickets.streamId;
          if (!ticketsMoved || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    });
  }
}
