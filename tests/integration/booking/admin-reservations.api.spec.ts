import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { ledgerStreamId } from '../../../src/domain/booking/booking.events.js';
import { BookingServer, MODES, showBody, twoSections } from './booking-server.js';

for (const { mode, title } of MODES) {
  describe(`organizer's reservations: search, cancel for a buyer, CSV, histories (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    let buyer: { id: string; token: string; email: string };
    let showId: string;
    let reservationId: string;
    const cancelRequest = randomUUID();

    before(async function () {
      server = await BookingServer.start(this, mode);
      admin = await server.member({ admin: true });
      const member = await server.member();
      buyer = { ...member, email: (await server.request('GET', '/api/members/me', { token: member.token })).body.email };
      showId = (await server.request('POST', '/api/shows', { token: admin.token, body: showBody(twoSections) })).body.id;
      const hold = await server.request('POST', `/api/shows/${showId}/holds`, { token: buyer.token, body: { seats: ['A-1-1', 'A-1-2'] } });
      expect(hold.status).to.equal(201);
      const confirmed = await server.request('POST', `/api/holds/${hold.body.holdId}/confirm`, { token: buyer.token });
      expect(confirmed.status).to.equal(201);
      reservationId = confirmed.body.reservationId;
      // a confirmation does not wait for the reservations read model, which the organizer searches
      for (let i = 0; i < 100 && !(await search(`showId=${showId}`)).body.length; i++) await new Promise((r) => setTimeout(r, 50));
    });

    after(async () => {
      await server?.close();
    });

    const search = (query: string, token = admin.token) => server.request('GET', `/api/admin/reservations?${query}`, { token });

    it('when the organizer searches by e-mail, part of the name, seat or show, then the reservation is found with its buyer', async () => {
      for (const query of [`email=${encodeURIComponent(buyer.email.toUpperCase())}`, 'name=ooKE', 'seat=A-1-2', `showId=${showId}`]) {
        const found = await search(query);
        expect(found.status, query).to.equal(200);
        const row = (found.body as any[]).find((r) => r.reservationId === reservationId);
        expect(row, query).to.deep.include({
          memberId: buyer.id,
          email: buyer.email,
          name: 'Booker',
          seats: ['A-1-1', 'A-1-2'],
          status: 'confirmed',
        });
      }
      expect((await search('seat=A-2-5')).body.filter((r: any) => r.showId === showId)).to.deep.equal([]);
    });

    it('when a buyer searches, or nothing is named, then 403 and 400 naming the field', async () => {
      expect((await search('name=Booker', buyer.token)).status).to.equal(403);
      expect((await search('')).status).to.equal(400);
      const bad = await search('seat=not-a-seat');
      expect(bad.status).to.equal(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path)).to.include('seat');
    });

    it('when the organizer cancels for the buyer with a reason, then the seats are free and the event records who and why', async () => {
      expect(
        (await server.request('POST', `/api/admin/reservations/${reservationId}/cancel`, { token: admin.token, body: {} })).status,
      ).to.equal(400);
      expect(
        (await server.request('POST', `/api/admin/reservations/${reservationId}/cancel`, { token: buyer.token, body: { reason: 'x' } }))
          .status,
      ).to.equal(403);
      const cancelled = await server.request('POST', `/api/admin/reservations/${reservationId}/cancel`, {
        token: admin.token,
        body: { reason: 'Duplicate order, refunded by phone' },
        headers: { 'X-Request-Id': cancelRequest },
      });
      expect(cancelled.status).to.equal(204);
      const mine = await server.request('GET', '/api/members/me/reservations', { token: buyer.token });
      expect(mine.body.find((r: any) => r.reservationId === reservationId).status).to.equal('cancelled');
      const store = server.running.container.resolve<EventStore>(TOKENS.EventStore);
      const event = (await store.readStream(ledgerStreamId(showId, buyer.id))).find((e) => e.type === 'ReservationCancelled')!;
      expect(event.data).to.deep.include({ memberId: buyer.id, by: admin.id, reason: 'Duplicate order, refunded by phone' });
      expect(event.metadata.correlationId).to.equal(cancelRequest);
      const again = await server.request('POST', `/api/shows/${showId}/holds`, { token: admin.token, body: { seats: ['A-1-1'] } });
      expect(again.status).to.equal(201);
    });

    it('when the organizer asks for the seat’s history, then it lists hold → confirm → cancel with time, actor and correlation id', async () => {
      const reply = await server.request('GET', `/api/admin/shows/${showId}/seats/A-1-2/history`, { token: admin.token });
      expect(reply.status).to.equal(200);
      const entries = reply.body as any[];
      const ledger = entries.filter((e) => ['HoldPlaced', 'HoldConfirmed', 'ReservationCancelled'].includes(e.type));
      expect(ledger.map((e) => e.type)).to.deep.equal(['HoldPlaced', 'HoldConfirmed', 'ReservationCancelled']);
      expect(entries.map((e) => e.type)).to.include.members(['SeatsHeld', 'SeatsSold', 'SeatsReleased']);
      expect(entries.map((e) => e.position)).to.deep.equal([...entries.map((e) => e.position)].sort((a, b) => a - b));
      expect(ledger[0]).to.include({ actor: buyer.id, actorName: 'Booker' });
      expect(entries.find((e) => e.type === 'SeatsReleased')).not.to.have.property('reason');
      expect(ledger[2]).to.include({
        actor: admin.id,
        onBehalfOf: buyer.id,
        correlationId: cancelRequest,
        reason: 'Duplicate order, refunded by phone',
      });
      for (const entry of entries) expect(Date.parse(entry.at)).to.be.closeTo(Date.now(), 60_000);
      const reservation = await server.request('GET', `/api/admin/reservations/${reservationId}/history`, { token: admin.token });
      expect(
        reservation.body.filter((e: any) => e.type.startsWith('Hold') || e.type === 'ReservationCancelled').map((e: any) => e.type),
      ).to.deep.equal(['HoldPlaced', 'HoldConfirmed', 'ReservationCancelled']);
      expect((await server.request('GET', `/api/admin/reservations/${reservationId}/history`, { token: buyer.token })).status).to.equal(
        403,
      );
    });

    it('when the organizer exports the show’s sales, then a CSV lists the reservation with its buyer and status', async () => {
      const response = await fetch(`http://127.0.0.1:${server.running.port}/api/admin/shows/${showId}/reservations.csv`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^text\/csv/);
      const lines = (await response.text()).trimEnd().split('\r\n');
      expect(lines[0]).to.equal('reservation_id,status,confirmed_at,cancelled_at,email,name,seats,quantity,total,currency');
      expect(lines.slice(1).find((line) => line.startsWith(reservationId))).to.match(
        new RegExp(`,cancelled,.*,${buyer.email},Booker,A-1-1 A-1-2,2,10000,EUR$`),
      );
    });
  });
}
