import { expect } from 'chai';
import type { QueueView } from '../../../../src/application/admission/queue-view.js';
import type { HoldSeatsHandler, HoldSeatsInput } from '../../../../src/application/booking/hold-seats.handler.js';
import type { AdmissionGate } from '../../../../src/application/ports/admission-gate.js';
import { DomainError } from '../../../../src/domain/shared/domain-error.js';
import { holdAtAdmission } from '../../../../src/infrastructure/http/hold-at-admission.js';
import { createLogger } from '../../../../src/infrastructure/logging/logger.js';

const admitted: QueueView = {
  state: 'admitted',
  admissionToken: 'tok',
  expiresAt: '2026-01-01T00:00:00.000Z',
  tokenExpiresAt: '2026-01-01T00:02:00.000Z',
};
const held = { holdId: 'h1', showId: 's1', seats: [], quantity: 2, total: 5000, currency: 'EUR', expiresAt: '2026-01-01T00:05:00.000Z' };

/** The composition with a gate admitting at `admittedAt` and a hold handler doing `hold`; the inputs it was given. */
function composed(hold: (input: HoldSeatsInput) => Promise<typeof held>, admittedAt: number | undefined = 1234) {
  const inputs: HoldSeatsInput[] = [];
  const gate = { verify: async () => admittedAt } as unknown as AdmissionGate;
  const holds = {
    handle: async (input: HoldSeatsInput) => {
      inputs.push(input);
      return hold(input);
    },
  } as unknown as HoldSeatsHandler;
  const place = holdAtAdmission({ holds: () => holds, gate: () => gate, logger: () => createLogger('silent') });
  return { place, inputs };
}

describe('holdAtAdmission', () => {
  it('when the join asked for no hold, or is not admitted, then the view is answered as it is and nothing is held', async () => {
    const { place, inputs } = composed(async () => held);
    expect(await place(admitted, { showId: 's1', memberId: 'm1' })).to.equal(admitted);
    const waiting: QueueView = { state: 'waiting', preQueue: false, position: 3, ahead: 2, etaSeconds: 4 };
    expect(await place(waiting, { showId: 's1', memberId: 'm1', request: { quantity: 2 } })).to.equal(waiting);
    expect(inputs).to.deep.equal([]);
  });

  it('when admitted, then the hold is placed with the token just issued and a key of the admission, and answered beside the view', async () => {
    const { place, inputs } = composed(async () => held);
    const answer = await place(admitted, { showId: 's1', memberId: 'm1', request: { quantity: 2 } });
    expect(answer).to.deep.equal({ ...admitted, hold: held });
    expect(inputs).to.deep.equal([
      { showId: 's1', memberId: 'm1', request: { quantity: 2 }, admissionToken: 'tok', idempotencyKey: 'admission-1234' },
    ]);
  });

  it('when the hold is refused, the store is unavailable or anything fails, then the admission stands with the problem', async () => {
    const failures: [unknown, number, string][] = [
      [new DomainError('conflict', 'BOOKING.LIMIT_EXCEEDED', 'at most 4'), 409, 'BOOKING.LIMIT_EXCEEDED'],
      [new DomainError('unavailable', 'BOOKING.BUSY', 'busy', undefined, 1), 503, 'BOOKING.BUSY'],
      [new Error('socket hang up'), 500, 'HTTP.INTERNAL'],
    ];
    for (const [thrown, status, code] of failures) {
      const { place } = composed(async () => {
        throw thrown;
      });
      const answer = await place(admitted, { showId: 's1', memberId: 'm1', request: { quantity: 2 } });
      expect(answer).to.deep.include(admitted);
      expect(answer.hold).to.equal(undefined);
      expect(answer.holdProblem).to.include({ status, code });
    }
  });
});
