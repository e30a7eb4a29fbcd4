import { inject, injectable } from 'tsyringe';
import { DomainError } from '../../domain/shared/domain-error.js';
import { checkInDecider } from '../../domain/tickets/check-in.decider.js';
import { ticketIdOf } from '../../domain/tickets/ticket.js';
import type { TicketCheckedIn } from '../../domain/tickets/tickets.events.js';
import { isStaff } from '../../domain/tickets/staff-role.js';
import { NotStaffOfShow, TicketNotFound } from '../../domain/tickets/tickets.errors.js';
import type { Principal } from '../ports/authenticator.js';
import type { CheckInMetrics } from '../ports/check-in-metrics.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { EventStore } from '../ports/event-store.js';
import type { ProjectionWaiter } from '../ports/projection-waiter.js';
import type { ReservationOwners } from '../ports/reservation-owners.js';
import type { TicketSigner } from '../ports/ticket-signer.js';
import { READ_YOUR_WRITES_MS, RESERVATIONS_PROJECTION } from '../booking/read-models.js';
import { hasCode } from '../members/error-code.js';
import { TOKENS } from '../tokens.js';
import { loadCheckIns } from './check-in-streams.js';
import { verifyTicketCode } from './verify-ticket-code.js';
import { FORGERY_CODES, RecordForgedScanHandler } from './record-forged-scan.handler.js';

export type CheckedIn = TicketCheckedIn['data'] & { position: number };

interface CheckInInput {
  code: string;
  gate: string;
  staff: Principal;
  showId?: string;
  /** When an offline scanner admitted it. */
  scannedAt?: Date;
}

/** Attempts before a ticket whose streams keep moving is answered 409 by the last conflict. */
const MAX_ATTEMPTS = 5;

/**
 * Admits a ticket at a gate, exactly once: verify the code, decide on the reservation's ledger
 * events and its tickets stream, append with the expected version of both (the ledger's with no
 * events: a cancel in between fails the append). A lost race is decided again, and then it is
 * TICKET.ALREADY_USED.
 */
@injectable()
export class CheckInHandler {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.TicketSigner) private readonly signer: TicketSigner,
    @inject(TOKENS.ReservationOwners) private readonly owners: ReservationOwners,
    @inject(TOKENS.ProjectionWaiter) private readonly waiter: ProjectionWaiter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
    @inject(TOKENS.CheckInMetrics) private readonly metrics: CheckInMetrics,
    @inject(RecordForgedScanHandler) private readonly forgeries: RecordForgedScanHandler,
  ) {}

  async handle(input: CheckInInput): Promise<CheckedIn> {
    try {
      const done = await this.decide(input);
      this.metrics.decided('admitted');
      return done;
    } catch (error) {
      this.metrics.decided(error instanceof DomainError ? error.code : 'error');
      if (error instanceof DomainError && FORGERY_CODES.has(error.code)) await this.alert(input, error.code);
      throw error;
    }
  }

  private async decide(input: CheckInInput): Promise<CheckedIn> {
    if (!isStaff(input.staff.roles)) throw new NotStaffOfShow();
    const ticket = await verifyTicketCode(this.signer, input.code);
    const memberId = await this.ownerOf(ticket.reservationId);
    if (!memberId) throw new TicketNotFound(ticketIdOf(ticket));
    const data = {
      ticket,
      gate: input.gate,
      staff: { memberId: input.staff.memberId, roles: input.staff.roles },
      ...(input.showId ? { doorShowId: input.showId } : {}),
      ...(input.scannedAt ? { scannedAt: input.scannedAt } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      const loaded = await loadCheckIns(this.store, ticket.showId, memberId, ticket.reservationId);
      const events = checkInDecider.decide(
        { type: 'CheckIn', data, metadata: { now: this.clock.now() } },
        loaded.state,
      ) as TicketCheckedIn[];
      try {
        const result = await this.store.appendMulti([
          {
            streamId: loaded.tickets.streamId,
            expected: loaded.tickets.version || 'no_stream',
            events: events.map((e) => ({ id: this.ids.next(), ...e })),
          },
          { streamId: loaded.ledger.streamId, expected: loaded.ledger.version, events: [] },
        ]);
        return { ...events[0]!.data, position: result.position };
      } catch (error) {
        if (!hasCode(error, 'EVENT_STORE.WRONG_EXPECTED_VERSION') || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The organizer hears of a forged code; failing to record it does not change the door's answer. */
  private async alert(input: CheckInInput, reason: string): Promise<void> {
    const scan = { code: input.code, gate: input.gate, staffId: input.staff.memberId, reason };
    await this.forgeries.handle(input.showId ? { ...scan, doorShowId: input.showId } : scan).catch(() => undefined);
  }

  /** A reservation confirmed a moment ago may not be in the read model yet: wait for it once. */
  private async ownerOf(reservationId: string): Promise<string | undefined> {
    const known = await this.owners.ownerOf(reservationId);
    if (known) return known;
    await this.waiter.waitFor(RESERVATIONS_PROJECTION, await this.store.headPosition(), READ_YOUR_WRITES_MS);
    return this.owners.ownerOf(reservationId);
  }
}
