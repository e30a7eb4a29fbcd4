import { expect } from 'chai';
import { parseTicketCode, ticketCode, ticketMessage } from '../../../../src/domain/tickets/ticket-code.js';
import { ticketsOf } from '../../../../src/domain/tickets/ticket.js';
import { TicketCodeMalformed } from '../../../../src/domain/tickets/tickets.errors.js';
import { isStaff, mayCheckIn } from '../../../../src/domain/tickets/staff-role.js';

const showId = '0b7c6a52-1111-4000-8000-000000000001';
const reservationId = `${showId}.rabcdefghij012345`;
const signature = 'x'.repeat(86);

describe('ticket codes', () => {
  it('when a reserved reservation is ticketed, then each seat has a ticket in order; general admission one per unit', () => {
    expect(ticketsOf({ showId, reservationId, seats: ['A-1-1', 'B-2-3'], quantity: 2 }).map((t) => [t.index, t.seat])).to.deep.equal([
      [1, 'A-1-1'],
      [2, 'B-2-3'],
    ]);
    expect(ticketsOf({ showId, reservationId, seats: [], quantity: 3 }).map((t) => t.seat)).to.deep.equal(['GA', 'GA', 'GA']);
  });

  it('when a code is written and read back, then the show, reservation, place, seat, key and signed part come back', () => {
    const ticket = { showId, reservationId, index: 2, seat: 'B-2-3' };
    const message = ticketMessage('k0a1b2c3d4e', ticket);
    const code = ticketCode(message, signature);
    expect(code).to.equal(`k0a1b2c3d4e.${showId}.rabcdefghij012345.2.B-2-3.${signature}`);
    expect(parseTicketCode(code)).to.deep.equal({ kid: 'k0a1b2c3d4e', ticket, message, signature });
    expect(code.length).to.be.below(180);
  });

  it('when a code has another shape, then it is TICKET.MALFORMED', () => {
    const good = `k1.${showId}.rabcdefghij012345.1.A-1-1.${signature}`;
    for (const bad of ['', 'hello', good.replace('.1.A', '.0.A'), good.slice(0, -1), `${good}.x`, good.replace('A-1-1', 'A 1 1')]) {
      expect(() => parseTicketCode(bad), bad).to.throw(TicketCodeMalformed);
    }
    expect(parseTicketCode(good).ticket.index).to.equal(1);
  });

  it('when roles are checked, then staff of a show, staff of all and admins may check in, and only staff or admins are staff', () => {
    expect(mayCheckIn([`staff:${showId}`], showId)).to.equal(true);
    expect(mayCheckIn(['staff:other'], showId)).to.equal(false);
    expect(mayCheckIn(['staff'], showId)).to.equal(true);
    expect(mayCheckIn(['admin'], showId)).to.equal(true);
    expect(isStaff(['staff:other'])).to.equal(true);
    expect(isStaff(['staffer'])).to.equal(false);
    expect(isStaff([])).to.equal(false);
  });
});
