import { expect } from 'chai';
import { GrantStaffHandler } from '../../../src/application/members/grant-staff.handler.js';
import type { MemberDirectory, TokenIssuer } from '../../../src/application/members/members.ports.js';
import { TOKENS } from '../../../src/application/tokens.js';
import type { SeedMember } from '../../../src/infrastructure/cli/seed-output.js';
import type { JsonReply } from '../../support/server-process.js';
import { BookingProcesses } from '../booking/booking-processes.js';

const BUYERS = 12;
const PER_BUYER = 4;
/** Members who cancel while their ticket is scanned. */
const CANCELLERS = 8;

describe('door check-in under a race (two server processes, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let processes: BookingProcesses;
  let door: SeedMember;
  let showId: string;
  const codes: string[] = [];

  before(async function () {
    processes = await BookingProcesses.start(this, {
      store: 'mysql',
      processes: [{}, {}],
      members: BUYERS + 1 + CANCELLERS,
      holdTtlSeconds: 600,
    });
    showId = await processes.schedule({ generalAdmission: { capacity: 100, price: 1000 } }, PER_BUYER);
    for (const [i, buyer] of processes.members.slice(0, BUYERS).entries()) {
      const held = await processes.send(i % 2, buyer, 'POST', `/api/shows/${showId}/holds`, { quantity: PER_BUYER });
      expect(held.status, JSON.stringify(held.body)).to.equal(201);
      const confirmed = await processes.send(i % 2, buyer, 'POST', `/api/holds/${held.body.holdId}/confirm`);
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
      const tickets = await processes.send((i + 1) % 2, buyer, 'GET', `/api/reservations/${confirmed.body.reservationId}/tickets`);
      expect(tickets.status, JSON.stringify(tickets.body)).to.equal(200);
      codes.push(...tickets.body.tickets.map((t: { code: string }) => t.code));
    }
    door = await staffOf(processes, processes.members[BUYERS]!);
  });

  async function reserveOne(member: SeedMember): Promise<{ reservationId: string; code: string }> {
    const held = await processes.send(0, member, 'POST', `/api/shows/${showId}/holds`, { quantity: 1 });
    const confirmed = await processes.send(0, member, 'POST', `/api/holds/${held.body.holdId}/confirm`);
    const tickets = await processes.send(0, member, 'GET', `/api/reservations/${confirmed.body.reservationId}/tickets`);
    return { reservationId: confirmed.body.reservationId, code: tickets.body.tickets[0].code };
  }

  after(async () => {
    await processes?.close();
  });

  it('when two gates on two processes scan the same 48 tickets at the same moment, then each ticket gets exactly one 201 and one 409', async () => {
    expect(codes).to.have.length(BUYERS * PER_BUYER);
    const scan = (server: number, code: string): Promise<JsonReply> =>
      processes.send(server, door, 'POST', '/api/checkins', { code, gate: server === 0 ? 'East' : 'West' });
    const answers = await Promise.all(codes.map((code) => Promise.all([scan(0, code), scan(1, code)])));
    for (const [east, west] of answers) {
      const statuses = [east!.status, west!.status].sort();
      expect(statuses, JSON.stringify([east!.body, west!.body])).to.deep.equal([201, 409]);
      const [admitted, refused] = east!.status === 201 ? [east!, west!] : [west!, east!];
      expect(refused.body).to.include({ code: 'TICKET.ALREADY_USED', gate: admitted.body.gate, checkedInAt: admitted.body.checkedInAt });
    }
    const events = await processes.store.readAll(0, 100_000);
    const checkIns = events.filter((event) => event.type === 'TicketCheckedIn');
    expect(checkIns).to.have.length(codes.length);
    expect(new Set(checkIns.map((event) => (event.data as { ticketId: string }).ticketId)).size).to.equal(codes.length);
  });

  it('when reservations are cancelled on one process while their tickets are scanned on the other, then each ends cancelled or admitted, never both', async () => {
    const cancellers = processes.members.slice(BUYERS + 1);
    const reservations = await Promise.all(cancellers.map(reserveOne));
    const answers = await Promise.all(
      reservations.map(({ reservationId, code }, i) =>
        Promise.all([
          processes.send(0, cancellers[i]!, 'DELETE', `/api/reservations/${reservationId}`),
          processes.send(1, door, 'POST', '/api/checkins', { code, gate: 'North' }),
        ]),
      ),
    );
    for (const [cancel, scan] of answers) {
      const outcome = `cancel ${cancel!.status} ${JSON.stringify(cancel!.body)}, scan ${scan!.status} ${JSON.stringify(scan!.body)}`;
      if (scan!.status === 201) {
        expect(cancel!.status, outcome).to.equal(409);
        expect(cancel!.body.code, outcome).to.equal('BOOKING.TICKETS_USED');
        expect(cancel!.body.checkedIn, outcome).to.have.length(1);
      } else {
        expect([cancel!.status, scan!.status, scan!.body.code], outcome).to.deep.equal([204, 409, 'TICKET.REVOKED']);
      }
    }
    const events = await processes.store.readAll(0, 100_000);
    const of = (type: string, reservationId: string) =>
      events.some((e) => e.type === type && (e.data as { reservationId: string }).reservationId === reservationId);
    for (const [i, { reservationId }] of reservations.entries()) {
      const [checkedIn, cancelled] = [of('TicketCheckedIn', reservationId), of('ReservationCancelled', reservationId)];
      expect(checkedIn !== cancelled, `${reservationId}: checked in ${checkedIn}, cancelled ${cancelled}`).to.equal(true);
      expect(checkedIn, 'the events agree with the answers').to.equal(answers[i]![1]!.status === 201);
    }
  });
});

/** The member, made staff of every show through the handler, with a token that carries the role. */
async function staffOf(processes: BookingProcesses, member: SeedMember): Promise<SeedMember> {
  await processes.container.resolve(GrantStaffHandler).handle({ email: member.email });
  const directory = processes.container.resolve<MemberDirectory>(TOKENS.MemberDirectory);
  for (let attempt = 0; attempt < 100; attempt++) {
    const account = await directory.byId(member.id);
    if (account?.roles.includes('staff')) {
      const issued = await processes.container.resolve<TokenIssuer>(TOKENS.TokenIssuer).issue(account);
      return { ...member, accessToken: issued.accessToken };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the staff role never reached the members read model');
}
