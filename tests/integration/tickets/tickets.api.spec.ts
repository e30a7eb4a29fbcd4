import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { LogInHandler } from '../../../src/application/members/log-in.handler.js';
import { SignUpHandler } from '../../../src/application/members/sign-up.handler.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { ticketStreamId } from '../../../src/domain/tickets/tickets.events.js';
import { SqlTicketKeyRing } from '../../../src/infrastructure/tickets/sql-ticket-key-ring.js';
import { BookingServer, MODES, showBody, twoSections } from '../booking/booking-server.js';

for (const { mode, title } of MODES) {
  describe(`e-tickets and door check-in (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    let showId: string;
    let otherShowId: string;

    before(async function () {
      server = await BookingServer.start(this, mode);
      [admin, alice, bob] = [await server.member({ admin: true }), await server.member(), await server.member()];
      showId = await newShow(twoSections);
      otherShowId = await newShow({ generalAdmission: { capacity: 50, price: 1000 } });
    });

    after(async () => {
      await server?.close();
    });

    async function newShow(seating: unknown): Promise<string> {
      const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(seating) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.body.id;
    }

    async function reserve(show: string, who: { token: string }, body: unknown): Promise<string> {
      const held = await server.request('POST', `/api/shows/${show}/holds`, { token: who.token, body });
      expect(held.status, JSON.stringify(held.body)).to.equal(201);
      const confirmed = await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: who.token });
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
      return confirmed.body.reservationId;
    }

    async function codesOf(reservationId: string, who: { token: string }): Promise<string[]> {
      const answer = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: who.token });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      return answer.body.tickets.map((t: { code: string }) => t.code);
    }

    /** A member made door staff by the admin over the API; logged in again until the role is in the token. */
    async function staff(forShow?: string): Promise<{ id: string; token: string }> {
      const email = `staff-${randomBytes(6).toString('hex')}@onsale.test`;
      const password = 'correct horse battery';
      const { id } = await server.running.container.resolve(SignUpHandler).handle({ email, password, name: 'Door' });
      const role = forShow ? `staff:${forShow}` : 'staff';
      for (let attempt = 0; ; attempt++) {
        const granted = await server.request('POST', '/api/staff', {
          token: admin.token,
          body: { email, ...(forShow ? { showId: forShow } : {}) },
        });
        if (granted.status === 201) {
          expect(granted.body).to.include({ memberId: id, role });
          break;
        }
        expect(granted.body.code, 'the new member reaches the read model within moments').to.equal('MEMBER.NOT_FOUND');
        if (attempt > 50) throw new Error('the member never reached the read model');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (let attempt = 0; ; attempt++) {
        const { accessToken } = await server.running.container.resolve(LogInHandler).handle({ email, password, ip: '127.0.0.1' });
        const roles = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).roles as string[];
        if (roles.includes(role)) return { id, token: accessToken };
        if (attempt > 50) throw new Error('the role never reached the token');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    const scan = (who: { token: string }, body: unknown) => server.request('POST', '/api/checkins', { token: who.token, body });

    it('when the keys are asked for, then a JWKS of Ed25519 public keys with key ids comes back', async () => {
      await codesOf(await reserve(showId, alice, { seats: ['A-1-1'] }), alice); // the first code makes the first key
      const keys = await server.request('GET', '/api/tickets/keys');
      expect(keys.status).to.equal(200);
      expect(keys.body.keys).to.have.length.greaterThan(0);
      expect(keys.body.keys[0]).to.include({ kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA' });
      expect(keys.body.keys[0].kid).to.match(/^k[0-9a-f]{10}$/);
      expect(keys.body.keys[0]).to.not.have.property('d');
    });

    it('when the owner opens a reservation’s tickets, then each seat has a signed code and an SVG QR code; others get 404', async () => {
      const reservationId = await reserve(showId, alice, { seats: ['A-2-1', 'A-2-2'] });
      const answer = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: alice.token });
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include({ reservationId, showId, status: 'valid' });
      expect(answer.body.tickets.map((t: { seat: string }) => t.seat)).to.deep.equal(['A-2-1', 'A-2-2']);
      for (const ticket of answer.body.tickets) {
        expect(ticket.code).to.match(new RegExp(`^k[0-9a-f]{10}\\.${showId}\\.r[0-9a-z]+\\.[12]\\.A-2-[12]\\.[A-Za-z0-9_-]{86}$`));
        expect(ticket.qrSvg).to.match(/^<svg[^>]*>.*<\/svg>\s*$/s);
      }
      const stranger = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: bob.token });
      expect(stranger.status).to.equal(404);
      expect(stranger.body.code).to.equal('BOOKING.RESERVATION_NOT_FOUND');
    });

    it('when staff scan a valid unused ticket, then it is 201 with the event; scanned again, 409 TICKET.ALREADY_USED with when and gate', async () => {
      const door = await staff(showId);
      const [code] = await codesOf(await reserve(showId, bob, { seats: ['B-1-1'] }), bob);
      const first = await scan(door, { code, gate: 'North 1', showId });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(first.body).to.include({ showId, seat: 'B-1-1', gate: 'North 1', staffId: door.id });
      const again = await scan(door, { code, gate: 'South 2' });
      expect(again.status).to.equal(409);
      expect(again.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(again.body).to.include({ code: 'TICKET.ALREADY_USED', gate: 'North 1', checkedInAt: first.body.checkedInAt });
      const page = await server.request('GET', `/api/reservations/${first.body.reservationId}/tickets`, { token: bob.token });
      expect(page.body.tickets[0]).to.include({ gate: 'North 1', checkedInAt: first.body.checkedInAt });
    });

    it('when a reservation is cancelled, then its tickets are revoked: 409 TICKET.REVOKED, and the owner sees no codes', async () => {
      const door = await staff();
      const reservationId = await reserve(showId, alice, { seats: ['A-1-5'] });
      const [code] = await codesOf(reservationId, alice);
      expect((await server.request('DELETE', `/api/reservations/${reservationId}`, { token: alice.token })).status).to.equal(204);
      const scanned = await scan(door, { code, gate: 'G1' });
      expect(scanned.status).to.equal(409);
      expect(scanned.body.code).to.equal('TICKET.REVOKED');
      const page = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: alice.token });
      expect(page.body.status).to.equal('revoked');
      expect(page.body.tickets[0]).to.not.have.property('code');
    });

    it('when a ticket of a reservation was admitted, then neither its buyer nor an admin can cancel it: 409 BOOKING.TICKETS_USED', async () => {
      const [door, carol] = [await staff(showId), await server.member()];
      const reservationId = await reserve(showId, carol, { seats: ['A-2-4', 'A-2-5'] });
      const [code] = await codesOf(reservationId, carol);
      const admitted = await scan(door, { code, gate: 'East 3' });
      expect(admitted.status, JSON.stringify(admitted.body)).to.equal(201);
      const refused = await server.request('DELETE', `/api/reservations/${reservationId}`, { token: carol.token });
      expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
      expect(refused.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(refused.body).to.include({ code: 'BOOKING.TICKETS_USED' });
      expect(refused.body.checkedIn).to.deep.equal([
        { ticketId: admitted.body.ticketId, gate: 'East 3', checkedInAt: admitted.body.checkedInAt },
      ]);
      const onBehalf = await server.request('POST', `/api/admin/reservations/${reservationId}/cancel`, {
        token: admin.token,
        body: { reason: 'asked at the box office' },
      });
      expect(onBehalf.status, JSON.stringify(onBehalf.body)).to.equal(409);
      expect(onBehalf.body.code).to.equal('BOOKING.TICKETS_USED');
      const page = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: carol.token });
      expect(page.body.status, 'the tickets stand').to.not.equal('revoked');
    });

    it('when a gate admits a ticket between the cancel’s read of its check-ins and its append, then the cancel reads again and is refused', async () => {
      const [door, dan] = [await staff(showId), await server.member()];
      const reservationId = await reserve(showId, dan, { seats: ['B-1-5'] });
      const [code] = await codesOf(reservationId, dan);
      const store = server.running.container.resolve<EventStore>(TOKENS.EventStore);
      const readStream = store.readStream.bind(store);
      let gate: Promise<{ status: number; body: { code?: string } }> | undefined;
      store.readStream = async (streamId, from) => {
        const events = await readStream(streamId, from);
        if (streamId === ticketStreamId(reservationId) && !gate) {
          gate = scan(door, { code, gate: 'West 1' }); // the cancel read no check-in; now a gate admits the ticket
          expect((await gate).status).to.equal(201);
        }
        return events;
      };
      try {
        const cancelled = await server.request('DELETE', `/api/reservations/${reservationId}`, { token: dan.token });
        expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(409);
        expect(cancelled.body.code).to.equal('BOOKING.TICKETS_USED');
      } finally {
        store.readStream = readStream;
      }
      const events = (await store.readStream(ticketStreamId(reservationId))).map((event) => event.type);
      expect(events).to.deep.equal(['TicketCheckedIn']);
      const ledger = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: dan.token });
      expect(ledger.body.status).to.not.equal('revoked');
    });

    it('when a code is forged, malformed, for another show or scanned by staff of another show, then it is a stable 4xx', async () => {
      const door = await staff(otherShowId);
      const everywhere = await staff();
      const [code] = await codesOf(await reserve(showId, bob, { seats: ['B-1-3'] }), bob);
      const [gaCode] = await codesOf(await reserve(otherShowId, bob, { quantity: 2 }), bob);
      const seatSwapped = code!.replace('.B-1-3.', '.B-1-4.');
      const forged = await scan(everywhere, { code: seatSwapped, gate: 'G1' });
      expect([forged.status, forged.body.code]).to.deep.equal([400, 'TICKET.FORGED']);
      const malformed = await scan(everywhere, { code: 'not-a-ticket', gate: 'G1' });
      expect([malformed.status, malformed.body.code]).to.deep.equal([400, 'TICKET.MALFORMED']);
      const unknownKey = await scan(everywhere, { code: code!.replace(/^k[0-9a-f]+/, 'kffffffffff'), gate: 'G1' });
      expect([unknownKey.status, unknownKey.body.code]).to.deep.equal([400, 'TICKET.UNKNOWN_KEY']);
      const wrongDoor = await scan(everywhere, { code, gate: 'G1', showId: otherShowId });
      expect([wrongDoor.status, wrongDoor.body.code]).to.deep.equal([409, 'TICKET.WRONG_SHOW']);
      const notHisShow = await scan(door, { code, gate: 'G1' });
      expect([notHisShow.status, notHisShow.body.code]).to.deep.equal([403, 'CHECKIN.NOT_STAFF']);
      const member = await scan(alice, { code, gate: 'G1' });
      expect([member.status, member.body.code]).to.deep.equal([403, 'CHECKIN.NOT_STAFF']);
      const badGate = await scan(everywhere, { code, gate: '' });
      expect([badGate.status, badGate.body.code]).to.deep.equal([400, 'HTTP.VALIDATION']);
      const ga = await scan(door, { code: gaCode, gate: 'GA door' });
      expect([ga.status, ga.body.seat]).to.deep.equal([201, 'GA']);
      const stillValid = await scan(everywhere, { code, gate: 'G1' });
      expect(stillValid.status, 'the refusals above changed nothing').to.equal(201);
    });

    it('when keys rotate, then old codes still verify until their key is retired, and the owner then gets codes under the new key', async () => {
      const door = await staff();
      const carol = await server.member();
      const ring = server.running.container.resolve(SqlTicketKeyRing);
      const reservationId = await reserve(showId, carol, { seats: ['A-1-3', 'A-1-4'] });
      const [oldFirst, oldSecond] = await codesOf(reservationId, carol);
      const oldKid = oldFirst!.split('.')[0]!;
      const newKid = await ring.rotate(Date.now());
      expect((await scan(door, { code: oldFirst, gate: 'G1' })).status, 'an old key verifies after a rotation').to.equal(201);
      await ring.retire(oldKid, Date.now());
      await new Promise((resolve) => setTimeout(resolve, 5100)); // the signer re-reads its keys every 5 s
      const retired = await scan(door, { code: oldSecond, gate: 'G1' });
      expect([retired.status, retired.body.code]).to.deep.equal([409, 'TICKET.KEY_RETIRED']);
      const keys = (await server.request('GET', '/api/tickets/keys')).body.keys.map((k: { kid: string }) => k.kid);
      expect(keys).to.include(newKid).and.not.include(oldKid);
      const [, fresh] = await codesOf(reservationId, carol);
      expect(fresh!.split('.')[0]).to.equal(newKid);
      expect((await scan(door, { code: fresh, gate: 'G1' })).status).to.equal(201);
    });
  });
}
