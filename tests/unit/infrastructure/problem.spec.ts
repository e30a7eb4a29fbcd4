import { expect } from 'chai';
import { z } from 'zod';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { toProblem } from '../../../src/infrastructure/http/problem.middleware.js';

describe('the error mapping', () => {
  it('when a domain conflict is thrown, then it is a 409 with its code and details', () => {
    const body = toProblem(new DomainError('conflict', 'BOOKING.SEATS_UNAVAILABLE', 'Seats taken', { seats: ['A-1-1'] }));
    expect(body).to.include({ status: 409, code: 'BOOKING.SEATS_UNAVAILABLE', detail: 'Seats taken' });
    expect(body.seats).to.deep.equal(['A-1-1']);
  });

  it('when a domain error has details named like the standard members, then they cannot replace them', () => {
    const body = toProblem(new DomainError('conflict', 'BOOKING.HOLD_RELEASED', 'Hold h is released', { status: 'released', code: 'x' }));
    expect(body).to.include({ status: 409, code: 'BOOKING.HOLD_RELEASED', detail: 'Hold h is released' });
  });

  it('when validation fails, then it is a 400 naming each field', () => {
    const result = z.strictObject({ email: z.email() }).safeParse({ email: 'x', extra: 1 });
    const body = toProblem(result.error);
    expect(body.status).to.equal(400);
    expect(body.code).to.equal('HTTP.VALIDATION');
    expect(body.detail).to.match(/email/).and.match(/extra/);
  });

  it('when a value fits no branch of a union, then the field is named from the branch it came closest to', () => {
    const seating = z.union([
      z.strictObject({ sections: z.array(z.strictObject({ aisles: z.array(z.number()) })) }),
      z.strictObject({ pool: z.number() }),
    ]);
    const result = z.strictObject({ seating }).safeParse({ seating: { sections: [{ aisles: ['x'] }] } });
    const body = toProblem(result.error);
    expect(body.detail).to.match(/^seating\.sections\.0\.aisles\.0: /);
    const hold = z.union([
      z.strictObject({ seats: z.array(z.string()) }),
      z.strictObject({ quantity: z.number(), together: z.enum(['required', 'preferred']) }),
    ]);
    expect(toProblem(hold.safeParse({ quantity: 2, together: 'maybe' }).error).detail).to.match(/^together: /);
  });

  it('when an unknown error is thrown, then it is a 500 that hides its message', () => {
    const body = toProblem(new Error('password=hunter2'));
    expect(body.status).to.equal(500);
    expect(body.detail).not.to.match(/hunter2/);
  });
});
