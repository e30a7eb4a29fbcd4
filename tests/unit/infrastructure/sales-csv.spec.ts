import { expect } from 'chai';
import { salesCsv } from '../../../src/infrastructure/http/sales-csv.js';

describe('the sales CSV', () => {
  it('when a cell holds a comma, a quote or a formula, then it is quoted, doubled and defused', () => {
    const csv = salesCsv([
      {
        reservationId: 'r1',
        showId: 's',
        memberId: 'm',
        email: 'a@b.c',
        name: '=HYPERLINK("x"), "Ann"',
        seats: ['A-1-1'],
        quantity: 1,
        total: 100,
        currency: 'EUR',
        status: 'confirmed',
        confirmedAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(csv.split('\r\n')[1]).to.equal(`r1,confirmed,2026-01-01T00:00:00.000Z,,a@b.c,"'=HYPERLINK(""x""), ""Ann""",A-1-1,1,100,EUR`);
    expect(csv.endsWith('\r\n')).to.equal(true);
  });
});
