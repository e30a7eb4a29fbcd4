import { expect } from 'chai';
import fc from 'fast-check';
import { bookingDecider, type BookingState } from '../../../../src/domain/booking/booking.decider.js';
import type { BookingCommand, QuantityRequest } from '../../../../src/domain/booking/booking.commands.js';
import type { BookingEvent } from '../../../../src/domain/booking/booking.events.js';
import { buildFreeRuns } from '../../../../src/domain/booking/free-runs.js';
import { sectionLayout } from '../../../../src/domain/catalog/section-layout.js';
import type { SectionSpec } from '../../../../src/domain/catalog/show.events.js';
import { DomainError } from '../../../../src/domain/shared/domain-error.js';
import { referenceBest, type Answer } from './best-available.reference.js';
import { LATER, SHOW_ID, reservedShow, scheduled } from './fixtures.js';

const NOW = LATER(10);
const EXPIRES = LATER(3600);

const seatKeys = (rows: number, width: number) =>
  fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: rows }), fc.integer({ min: 1, max: width })), {
    maxLength: 4,
    selector: ([r, n]) => `${r}-${n}`,
  });

const section = (id: string) =>
  fc
    .record({ rows: fc.integer({ min: 1, max: 5 }), width: fc.integer({ min: 1, max: 10 }) })
    .chain(({ rows, width }) =>
      fc.record({
        rows: fc.constant(rows),
        width: fc.constant(width),
        price: fc.constantFrom(1000, 2000, 3000),
        rank: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        focal: fc.option(fc.record({ row: fc.integer({ min: 0, max: 2 * rows + 2 }), seat: fc.integer({ min: 0, max: 2 * width + 2 }) }), {
          nil: undefined,
        }),
        aisles: width > 1 ? fc.uniqueArray(fc.integer({ min: 1, max: width - 1 }), { maxLength: 2 }) : fc.constant<number[]>([]),
        accessible: seatKeys(rows, width),
        blocked: seatKeys(rows, width),
        quality: seatKeys(rows, width),
        qualityValues: fc.array(fc.integer({ min: 0, max: 6000 }), { minLength: 4, maxLength: 4 }),
      }),
    )
    .map((s): SectionSpec => {
      const keys = s.accessible.map(([r, n]) => `${r}-${n}`);
      // a blocked seat is not also an accessible place, and a section keeps a seat
      const blocked = s.blocked.map(([r, n]) => `${r}-${n}`).filter((key) => !keys.includes(key));
      if (blocked.length === s.rows * s.width) blocked.pop();
      return {
        id,
        name: id,
        rows: s.rows,
        seatsPerRow: s.width,
        price: s.price,
        ...(s.rank ? { rank: s.rank } : {}),
        ...(s.focal ? { focal: { row: s.focal.row / 2, seat: s.focal.seat / 2 } } : {}),
        aisles: s.aisles,
        wheelchair: keys.filter((_, i) => i % 2 === 0),
        companions: keys.filter((_, i) => i % 2 === 1),
        blocked,
        seatQuality: Object.fromEntries(s.quality.map(([r, n], i) => [`${r}-${n}`, s.qualityValues[i]!])),
      };
    });

const layout = fc.integer({ min: 1, max: 3 }).chain((count) => fc.tuple(...['P', 'Q', 'R'].slice(0, count).map(section)));

const request = fc.record(
  {
    quantity: fc.integer({ min: 1, max: 6 }),
    section: fc.constantFrom('P', 'Q', 'R', 'X'),
    maxPrice: fc.constantFrom(500, 1000, 2000, 3000),
    together: fc.constantFrom('required' as const, 'preferred' as const),
    accessible: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: ['quantity'] },
);

const operation = fc.oneof(
  { weight: 6, arbitrary: request.map((r) => ({ kind: 'best' as const, request: r })) },
  { weight: 2, arbitrary: fc.nat().map((n) => ({ kind: 'release' as const, n })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.nat(), fc.nat()).map((pick) => ({ kind: 'pick' as const, pick })) },
);

describe('best available, for random layouts and random requests and releases', () => {
  it('when requests and releases come in any order, then no seat is held twice, every answer is the reference best, and the index equals a recount', () => {
    fc.assert(
      fc.property(layout, fc.array(operation, { minLength: 1, maxLength: 40 }), (sections, operations) => {
        const show = scheduled(reservedShow({ maxTicketsPerMember: 100_000, seating: { sections } }));
        let state = bookingDecider.evolve(bookingDecider.initialState(), show);
        const held = new Map<string, string[]>(); // live holds: id → seats
        const claimed = () => new Set([...held.values()].flat());
        operations.forEach((op, i) => {
          const holdId = `${SHOW_ID}.h${String(i).padStart(16, '0')}`;
          const memberId = `member-${i}`;
          const base = { showId: SHOW_ID, memberId, holdId, now: NOW };
          if (op.kind === 'release') {
            const ids = [...held.keys()];
            if (ids.length === 0) return;
            const target = ids[op.n % ids.length]!;
            state = apply(state, { type: 'ReleaseHold', ...base, holdId: target });
            held.delete(target);
          } else if (op.kind === 'pick') {
            const s = sections[op.pick[0] % sections.length]!;
            const seat = `${s.id}-${(op.pick[1] % s.rows) + 1}-${(op.pick[2] % s.seatsPerRow) + 1}`;
            if (claimed().has(seat) || s.blocked?.includes(seat.slice(s.id.length + 1))) return;
            state = apply(state, { type: 'HoldSeats', ...base, request: { seats: [seat] }, expiresAt: EXPIRES });
            held.set(holdId, [seat]);
          } else {
            const expected = sorted(referenceBest(sections, claimed(), op.request as QuantityRequest));
            const answer = sorted(
              answerOf(state, { type: 'HoldSeats', ...base, request: op.request as QuantityRequest, expiresAt: EXPIRES }),
            );
            expect(answer, `request ${JSON.stringify(op.request)} on ${JSON.stringify([...claimed()])}`).to.deep.equal(expected);
            if ('seats' in answer) {
              const before = claimed();
              expect(
                answer.seats.filter((seat) => before.has(seat)),
                'seats held twice',
              ).to.deep.equal([]);
              state = apply(state, { type: 'HoldSeats', ...base, request: op.request as QuantityRequest, expiresAt: EXPIRES });
              held.set(holdId, answer.seats);
            }
          }
          expectIndexesRecounted(state, sections);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

/** Ledgers are per member in real life; here one state folds every member's events (the limit is set out of reach). */
function apply(state: BookingState, command: BookingCommand): BookingState {
  const events = bookingDecider.decide(command, state) as BookingEvent[];
  return events.reduce((s, e) => bookingDecider.evolve(s, e), state);
}

/** The order seats are listed in is not part of what best means. */
const sorted = (answer: Answer): Answer => ('seats' in answer ? { ...answer, seats: [...answer.seats].sort() } : answer);

function answerOf(state: BookingState, command: BookingCommand): Answer {
  try {
    const events = bookingDecider.decide(command, state) as BookingEvent[];
    const placed = events.find((e) => e.type === 'HoldPlaced')!;
    const data = placed.data as { seats: string[]; together?: boolean };
    return { seats: [...data.seats], together: data.together! };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { details } = error;
    return error.code === 'BOOKING.INVALID_REQUEST' || !details || 'accessible' in details
      ? { code: error.code }
      : { code: error.code, details };
  }
}

function expectIndexesRecounted(state: BookingState, sections: SectionSpec[]): void {
  for (const spec of sections) {
    const inventory = state.inventory[spec.id];
    if (!inventory?.runs) continue;
    const layout = sectionLayout(spec);
    const claimedSeats = [...inventory.seats.keys()].map((seat) => {
      const [, row, n] = seat.split('-').map(Number);
      return (row! - 1) * layout.width + n! - 1;
    });
    const recount = buildFreeRuns(layout, claimedSeats);
    expect({ ...inventory.runs, layout: undefined }, `index of ${spec.id}`).to.deep.equal({ ...recount, layout: undefined });
  }
}
