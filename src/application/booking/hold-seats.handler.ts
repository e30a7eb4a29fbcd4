import { inject, injectable } from 'tsyringe';
import { eligibleSections } from '../../domain/booking/best-available.js';
import type { HoldRequest, QuantityRequest } from '../../domain/booking/booking.commands.js';
import type { ShowDefinition } from '../../domain/catalog/show.events.js';
import { holdIdOf } from '../../domain/booking/booking-ids.js';
import { SeatsUnavailable } from '../../domain/booking/booking.errors.js';
import { ShowNotFound } from '../../domain/catalog/catalog.errors.js';
import { parseSeatId } from '../../domain/catalog/show-layout.js';
import type { ShowStates } from '../catalog/show-states.js';
import { MembersWaiting } from '../../domain/waitlist/waitlist.errors.js';
import { WaitlistStates } from '../waitlist/waitlist-states.js';
import type { AdmissionGate } from '../ports/admission-gate.js';
import type { IdGenerator } from '../ports/clock.js';
import type { HoldDeadlines } from '../ports/hold-deadlines.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import { TOKENS } from '../tokens.js';
import type { BookingProcessor } from './booking-processor.js';
import type { PoolShards } from './pool-shards.js';
import { holdView, type HoldView } from './hold-view.js';
import { derivedKey, derivedUuid, idempotent } from './idempotent.js';

export interface HoldSeatsInput {
  showId: string;
  memberId: string;
  request: HoldRequest;
  admissionToken?: string;
  idempotencyKey?: string;
}

type Logger = { warn(details: object, message: string): void };

/** Holds seats (or pool tickets) for a member, all or nothing, until the hold's deadline. */
@injectable()
export class HoldSeatsHandler {
  constructor(
    @inject(TOKENS.BookingProcessor) private readonly processor: BookingProcessor,
    @inject(TOKENS.ShowStates) private readonly shows: ShowStates,
    @inject(TOKENS.AdmissionGate) private readonly gate: AdmissionGate,
    @inject(TOKENS.HoldDeadlines) private readonly deadlines: HoldDeadlines,
    @inject(TOKENS.IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @inject(TOKENS.Config) private readonly config: { HOLD_TTL_SECONDS: number },
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.PoolShards) private readonly shards: PoolShards,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
    @inject(WaitlistStates) private readonly waitlists: WaitlistStates,
  ) {}

  async handle(input: HoldSeatsInput): Promise<HoldView> {
    const { showId, memberId, request } = input;
    const show = await this.shows.get(showId);
    if (!show.exists) throw new ShowNotFound(showId);
    const scope = `hold:${memberId}`;
    return idempotent(this.idempotency, { scope, key: input.idempotencyKey, content: { showId, request } }, async () => {
      const admittedAt = await this.gate.verify(showId, memberId, input.admissionToken);
      // returned seats are the waiting list's (its offers are holds placed by its reactor, not here)
      const list = await this.waitlists.claims(showId);
      const offered = 'seats' in request && request.seats.some((seat) => list.offeredSeats.has(seat));
      if (list.waiting > 0 || offered) throw new MembersWaiting(list.waiting);
      const key = input.idempotencyKey ? derivedKey(scope, showId, input.idempotencyKey) : this.ids.randomHex(12);
      const holdId = holdIdOf(showId, key);
      const ttlMs = this.config.HOLD_TTL_SECONDS * 1000;
      const pool = show.parts.filter((p) => p.kind === 'pool').map((p) => p.part);
      const attempt = (parts: string[]) =>
        this.processor.execute({
          showId,
          memberId,
          parts,
          command: (now) => ({
            type: 'HoldSeats',
            showId,
            memberId,
            holdId,
            request,
            poolParts: 'quantity' in request && pool.length > 0 ? parts : undefined,
            now,
            expiresAt: new Date(now.getTime() + ttlMs),
            ...(admittedAt === undefined ? {} : { admittedAt }),
          }),
          result: (state) => holdView(showId, state.ledger.holds.get(holdId)!),
          eventId: input.idempotencyKey ? (index) => derivedUuid('hold-event', holdId, String(index)) : undefined,
          newLedgerLikely: true,
        });
      const outcome =
        pool.length === 0
          ? await attempt('seats' in request ? sectionsOf(request.seats) : bestAvailableParts(show.show, request))
          : await attempt(this.shards.first(pool)).catch((error: unknown) => {
              // a pool hold tries one of this process's shards first (shards run in parallel); when that one is short, all of them
              if (!(error instanceof SeatsUnavailable)) throw error;
              return attempt(this.shards.all(pool));
            });
      if (outcome.events.length > 0) {
        const expiresAt = new Date(outcome.result.expiresAt);
        await this.deadlines.schedule({ showId, memberId, holdId, expiresAt }).catch((error: unknown) => {
          // the deadline process also finds open holds from the read model
          this.logger.warn({ err: error, holdId }, 'could not schedule a hold deadline');
        });
      }
      return outcome.result;
    });
  }
}

/** Best available reads and may take seats from every section the request allows. */
function bestAvailableParts(show: ShowDefinition, request: QuantityRequest): string[] {
  if (!('sections' in show.seating)) return [];
  return eligibleSections(show.seating.sections, request).map(({ spec }) => spec.id);
}

/** The sections the seats are in. */
function sectionsOf(seats: string[]): string[] {
  return [...new Set(seats.map((seat) => parseSeatId(seat)?.section ?? seat.split('-')[0]!))];
}
