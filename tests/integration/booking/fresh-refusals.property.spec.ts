import { expect } from 'chai';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { BookingStreams } from '../../../src/application/booking/booking-streams.js';
import { ShowStates } from '../../../src/application/catalog/show-states.js';
import { systemClock } from '../../../src/infrastructure/system-clock.js';
import type { BookingCommand } from '../../../src/domain/booking/booking.commands.js';
import { bookingDecider, type BookingState } from '../../../src/domain/booking/booking.decider.js';
import { holdIdOf, reservationIdOf } from '../../../src/domain/booking/booking-ids.js';
import { inventoryStreamId, ledgerStreamId } from '../../../src/domain/booking/booking.events.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { BookingProcesses } from './booking-processes.js';

const SEATS = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4'];
const MEMBERS = 3;
const LIMIT = 2;
const TTL_SECONDS = 1;

type Step =
  | { kind: 'hold'; member: number; seats: string[]; via: number }
  | { kind: 'confirm' | 'release' | 'cancel'; hold: number; via: number }
  | { kind: 'wait'; ms: number };

const via = fc.integer({ min: 0, max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      member: fc.nat(MEMBERS - 1),
      seats: fc.subarray(SEATS, { minLength: 1, maxLength: 2 }),
      via,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('confirm' as const), hold: fc.nat(), via }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), hold: fc.nat(), via }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), hold: fc.nat(), via }) },
  // long enough for a hold to expire, and for one of the processes to record it
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1100, max: 1500 }) }) },
);

interface Placed {
  holdId: string;
  member: number;
}

/**
 * The property of issue 27: across two server processes, whatever mix of holds, confirms,
 * releases, cancels and expiries is sent to whichever process, every refusal is one that a single
 * process holding the true state (read from the store around the request) would also give.
 */
describe('refusals across two server processes (property, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let processes: BookingProcesses | undefined;

  before(async function () {
    processes = await BookingProcesses.start(this, { store: 'mysql', processes: [{}, {}], members: MEMBERS, holdTtlSeconds: TTL_SECONDS });
  });
  after(async () => processes?.close());

  it('when random commands go to random processes, then every refusal is one the true state gives too', async () => {
    const cluster = processes!;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 10 }), async (steps) => {
        const showId = await cluster.schedule(
          { sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: SEATS.length, price: 100 }] },
          LIMIT,
        );
        const placed: Placed[] = [];
        for (const each of steps) {
          if (each.kind === 'wait') {
            await new Promise((resolve) => setTimeout(resolve, each.ms));
            continue;
          }
          if (each.kind !== 'hold' && placed.length === 0) continue;
          const target = each.kind === 'hold' ? undefined : placed[each.hold % placed.length]!;
          const member = each.kind === 'hold' ? each.member : target!.member;
          const command = (now: Date): BookingCommand => commandOf(each, showId, cluster.members[member]!.id, target?.holdId, now);
          const before = await truth(cluster, showId, cluster.members[member]!.id);
          const sent = new Date();
          const reply = await cluster.send(each.via, cluster.members[member]!, ...request(each, showId, target?.holdId));
          const received = new Date();
          expect(reply.status, JSON.stringify(reply.body)).to.be.below(500);
          if (reply.status < 300) {
            if (each.kind === 'hold') placed.push({ holdId: reply.body.holdId, member });
            continue;
          }
          refusals++;
          const after = await truth(cluster, showId, cluster.members[member]!.id);
          const fresh = [refusalOf(command(sent), before), refusalOf(command(received), after)];
          expect(fresh, `${each.kind} via ${each.via} refused ${reply.body.code}; the true state: ${fresh.join(' / ')}`).to.include(
            reply.body.code,
          );
        }
      }),
      { numRuns: 12 },
    );
    expect(refusals, 'refusals checked').to.be.greaterThan(0);
  });
});

function request(each: Exclude<Step, { kind: 'wait' }>, showId: string, holdId?: string): [string, string, unknown?] {
  switch (each.kind) {
    case 'hold':
      return ['POST', `/api/shows/${showId}/holds`, { seats: each.seats }];
    case 'confirm':
      return ['POST', `/api/holds/${holdId}/confirm`];
    case 'release':
      return ['DELETE', `/api/holds/${holdId}`];
    case 'cancel':
      return ['DELETE', `/api/reservations/${reservationIdOf(holdId!)}`];
  }
}

function commandOf(
  each: Exclude<Step, { kind: 'wait' }>,
  showId: string,
  memberId: string,
  holdId: string | undefined,
  now: Date,
): BookingCommand {
  switch (each.kind) {
    case 'hold': {
      const fresh = holdIdOf(showId, randomBytes(12).toString('hex'));
      const expiresAt = new Date(now.getTime() + TTL_SECONDS * 1000);
      return { type: 'HoldSeats', showId, memberId, holdId: fresh, request: { seats: each.seats }, now, expiresAt };
    }
    case 'confirm':
      return { type: 'ConfirmHold', showId, memberId, holdId: holdId!, reservationId: reservationIdOf(holdId!), now };
    case 'release':
      return { type: 'ReleaseHold', showId, memberId, holdId: holdId!, now };
    case 'cancel':
      return { type: 'CancelReservation', showId, memberId, reservationId: reservationIdOf(holdId!), now };
  }
}

/** The member's ledger, the show and its one section as the store has them now: a single process's true state. */
async function truth(cluster: BookingProcesses, showId: string, memberId: string): Promise<BookingState> {
  const ledger = ledgerStreamId(showId, memberId);
  const inventory = inventoryStreamId(showId, 'A');
  const loaded = await new BookingStreams(cluster.store).load([ledger, inventory], new Set([ledger, inventory]));
  return {
    show: await new ShowStates(cluster.store, systemClock).get(showId),
    ledger: loaded.working.get(ledger) as BookingState['ledger'],
    inventory: { A: loaded.working.get(inventory) as BookingState['inventory'][string] },
  };
}

/** What the decider answers on that state: a refusal's code, or 'done'. */
function refusalOf(command: BookingCommand, state: BookingState): string {
  try {
    bookingDecider.decide(command, state);
    return 'done';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}
