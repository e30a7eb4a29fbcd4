import { expect } from 'chai';
import { seatsOf } from '../../../src/projections/seat-map/compact-seat-map.js';
import { LEAST_PRIVILEGE } from '../../support/mode-environment.js';
import { BookingServer, MODES, showBody, twoSections } from './booking-server.js';

for (const { mode, title } of [...MODES, LEAST_PRIVILEGE]) {
  describe(`the booking API (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };

    before(async function () {
      server = await BookingServer.start(this, mode);
      [admin, alice, bob] = [await server.member({ admin: true }), await server.member(), await server.member()];
    });

    after(async () => {
      await server?.close();
    });

    async function newShow(seating: unknown = twoSections, overrides: Record<string, unknown> = {}): Promise<string> {
      const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(seating, overrides) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.body.id;
    }

    const hold = (showId: string, who: { token: string }, body: unknown, headers?: Record<string, string>) =>
      server.request('POST', `/api/shows/${showId}/holds`, { token: who.token, body, headers });
    /** The seat's status once the seat map shows `expected` (read models follow holds within moments), or the last seen. */
    async function seatStatus(showId: string, seat: string, expected?: string): Promise<string> {
      let status = '';
      for (const until = Date.now() + 3000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 25))) {
        status = seatsOf((await server.request('GET', `/api/shows/${showId}/seats`)).body).find((s) => s.id === seat)!.status;
        if (expected === undefined || status === expected) break;
      }
      return status;
    }

    /** The value once it equals `expected` (read models follow writes within moments), or the last seen after 3 s. */
    async function eventually<T>(read: () => Promise<T>, expected: T): Promise<T> {
      let value = await read();
      for (const until = Date.now() + 3000; value !== expected && Date.now() < until; value = await read()) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return value;
    }

    describe('shows', () => {
      it('when an admin schedules a show, then it is listed with every ticket remaining', async () => {
        const id = await newShow();
        const show = await server.request('GET', `/api/shows/${id}`);
        expect(show.status).to.equal(200);
        expect(show.body).to.include({ id, title: 'The Hot Show', capacity: 15, remaining: 15, sold: 0 });
        const list = await server.request('GET', '/api/shows');
        expect(list.body.map((s: { id: string }) => s.id)).to.include(id);
      });

      it('when the body has an unknown field or a bad value, then it is a 400 problem', async () => {
        const extra = await server.request('POST', '/api/shows', { token: admin.token, body: { ...showBody(twoSections), extra: 1 } });
        expect(extra.status).to.equal(400);
        expect(extra.headers.get('content-type')).to.match(/application\/problem\+json/);
        const late = await server.request('POST', '/api/shows', {
          token: admin.token,
          body: showBody(twoSections, { salesOpenAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }),
        });
        expect(late.status).to.equal(400);
        expect(late.body).to.include({ code: 'CATALOG.INVALID_SHOW', field: 'salesOpenAt' });
      });

      it('when a member or nobody schedules a show, then it is 403 or 401', async () => {
        expect((await server.request('POST', '/api/shows', { token: alice.token, body: showBody(twoSections) })).status).to.equal(403);
        expect((await server.request('POST', '/api/shows', { body: showBody(twoSections) })).status).to.equal(401);
      });

      it('when the sale is changed after opening, then a higher limit is fine and a lower one is a 409', async () => {
        const id = await newShow();
        const raised = await server.request('PATCH', `/api/shows/${id}`, { token: admin.token, body: { maxTicketsPerMember: 6 } });
        expect(raised.status).to.equal(200);
        expect(raised.body.maxTicketsPerMember).to.equal(6);
        const lowered = await server.request('PATCH', `/api/shows/${id}`, { token: admin.token, body: { maxTicketsPerMember: 2 } });
        expect(lowered.status).to.equal(409);
        expect(lowered.body.code).to.equal('CATALOG.UNSAFE_CHANGE');
        expect((await server.request('PATCH', `/api/shows/${id}`, { token: admin.token, body: {} })).status).to.equal(400);
        const missing = await server.request('PATCH', '/api/shows/00000000-0000-4000-8000-000000000000', {
          token: admin.token,
          body: { maxTicketsPerMember: 6 },
        });
        expect(missing.status).to.equal(404);
      });

      it('when a show does not exist, then it and its seats are 404', async () => {
        expect((await server.request('GET', '/api/shows/nope')).status).to.equal(404);
        expect((await server.request('GET', '/api/shows/nope/seats')).status).to.equal(404);
      });
    });

    describe('seat map', () => {
      const legend = { a: 'available', h: 'held', s: 'sold' };
      const seatMap = async (id: string) => (await server.request('GET', `/api/shows/${id}/seats`)).body;

      it("when a show is new, then its sections come in the show's order, a string of `a` per row, with counts", async () => {
        const id = await newShow({
          sections: [
            { id: 'UP', name: 'Balcony', rows: 1, seatsPerRow: 3, price: 2000 },
            { id: 'FL', name: 'Floor', rows: 3, seatsPerRow: 2, price: 6000 },
          ],
        });
        expect(await seatMap(id)).to.deep.equal({
          showId: id,
          seating: 'reserved',
          legend,
          sections: [
            { id: 'UP', name: 'Balcony', price: 2000, available: 3, held: 0, sold: 0, rows: ['aaa'] },
            { id: 'FL', name: 'Floor', price: 6000, available: 6, held: 0, sold: 0, rows: ['aa', 'aa', 'aa'] },
          ],
        });
      });

      it('when seats are held and sold, then seat <section>-<r>-<n> is character n of row r, and the counts follow', async () => {
        const id = await newShow();
        expect((await hold(id, alice, { seats: ['A-2-3'] })).status).to.equal(201);
        const bought = await hold(id, bob, { seats: ['A-1-1', 'B-1-5'] });
        expect((await server.request('POST', `/api/holds/${bought.body.holdId}/confirm`, { token: bob.token })).status).to.equal(201);
        const expected = {
          showId: id,
          seating: 'reserved',
          legend,
          sections: [
            { id: 'A', name: 'Stalls', price: 5000, available: 8, held: 1, sold: 1, rows: ['saaaa', 'aahaa'] },
            { id: 'B', name: 'Circle', price: 3000, available: 4, held: 0, sold: 1, rows: ['aaaas'] },
          ],
        };
        const seen = await eventually(async () => JSON.stringify(await seatMap(id)), JSON.stringify(expected));
        expect(JSON.parse(seen)).to.deep.equal(expected);
        const decoded = seatsOf(expected);
        expect(decoded.filter((s) => s.status !== 'available').map((s) => `${s.id}:${s.status}`)).to.deep.equal([
          'A-1-1:sold',
          'A-2-3:held',
          'B-1-5:sold',
        ]);
        expect(decoded).to.have.length(15);
      });

      it('when a show sells general admission, then the answer is its counts and price, not seats', async () => {
        const id = await newShow({ generalAdmission: { capacity: 60, price: 2500 } });
        expect(await seatMap(id)).to.deep.equal({ showId: id, seating: 'general', capacity: 60, remaining: 60, price: 2500 });
      });

      it('when the OpenAPI document is read, then the seat map answer has its schema', async () => {
        const doc = (await server.request('GET', '/api/openapi.json')).body;
        const schema = doc.paths['/api/shows/{id}/seats'].get.responses['200'].content['application/json'].schema;
        expect(JSON.stringify(schema)).to.contain('"legend"').and.contain('"rows"').and.contain('"remaining"');
      });
    });

    describe('holds', () => {
      it('when seats are held, then the answer has the hold and the seat map shows them held', async () => {
        const id = await newShow();
        const held = await hold(id, alice, { seats: ['A-1-1', 'B-1-2'] });
        expect(held.status).to.equal(201);
        expect(held.body).to.include({ showId: id, quantity: 2, total: 8000, currency: 'EUR' });
        expect(held.body.seats).to.deep.equal(['A-1-1', 'B-1-2']);
        expect(Date.parse(held.body.expiresAt) - Date.now()).to.be.within(290_000, 301_000);
        expect(await seatStatus(id, 'A-1-1', 'held')).to.equal('held');
        expect(await eventually(async () => (await server.request('GET', `/api/shows/${id}`)).body.remaining, 13)).to.equal(13);
      });

      it("when a poller sends the seat map's ETag, then it gets a 304 until a seat changes, then the new map", async () => {
        const id = await newShow();
        const first = await server.request('GET', `/api/shows/${id}/seats`);
        const etag = first.headers.get('etag')!;
        expect(etag).to.match(/^"[^"]+"$/);
        expect((await server.request('GET', `/api/shows/${id}/seats`, { headers: { 'if-none-match': etag } })).status).to.equal(304);
        expect((await hold(id, alice, { seats: ['A-1-3'] })).status).to.equal(201);
        const changed = await eventually(
          async () => (await server.request('GET', `/api/shows/${id}/seats`, { headers: { 'if-none-match': etag } })).status,
          200,
        );
        expect(changed).to.equal(200);
        expect(await seatStatus(id, 'A-1-3')).to.equal('held');
      });

      it('when some seats are taken, then nothing is held and the taken seats are named', async () => {
        const id = await newShow();
        await hold(id, alice, { seats: ['A-1-1'] });
        const clash = await hold(id, bob, { seats: ['A-1-2', 'A-1-1'] });
        expect(await seatStatus(id, 'A-1-1', 'held')).to.equal('held');
        expect(clash.status).to.equal(409);
        expect(clash.body).to.include({ code: 'BOOKING.SEATS_UNAVAILABLE' });
        expect(clash.body.seats).to.deep.equal(['A-1-1']);
        expect(await seatStatus(id, 'A-1-2', 'available')).to.equal('available');
      });

      it('when a member asks for more than the limit across holds, then it is LIMIT_EXCEEDED', async () => {
        const id = await newShow();
        expect((await hold(id, alice, { seats: ['A-1-1', 'A-1-2', 'A-1-3'] })).status).to.equal(201);
        const more = await hold(id, alice, { seats: ['B-1-1', 'B-1-2'] });
        expect(more.status).to.equal(409);
        expect(more.body.code).to.equal('BOOKING.LIMIT_EXCEEDED');
      });

      it('when sales have not opened, then it is SALES_CLOSED', async () => {
        const id = await newShow(twoSections, { salesOpenAt: new Date(Date.now() + 86_400_000).toISOString() });
        const early = await hold(id, alice, { seats: ['A-1-1'] });
        expect(early.status).to.equal(409);
        expect(early.body.code).to.equal('BOOKING.SALES_CLOSED');
      });

      it('when the request is malformed or names seats that do not exist, then it is a 400', async () => {
        const id = await newShow();
        expect((await hold(id, alice, { seats: ['A-9-9'] })).body.code).to.equal('BOOKING.INVALID_REQUEST');
        expect((await hold(id, alice, { quantity: 2, section: 'Z' })).body.code).to.equal('BOOKING.INVALID_REQUEST');
        expect((await hold(id, alice, { quantity: 2, together: 'maybe' })).status).to.equal(400);
        expect((await hold(id, alice, { seats: ['x'] })).status).to.equal(400);
        expect((await hold(id, alice, { seats: ['A-1-1'], quantity: 1 })).status).to.equal(400);
        expect((await hold(id, alice, { seats: ['A-1-1'] }, { 'Idempotency-Key': 'x'.repeat(200) })).status).to.equal(400);
      });

      it('when a hold is retried with its Idempotency-Key, then the first answer comes back and nothing more is held', async () => {
        const id = await newShow();
        const key = { 'Idempotency-Key': `hold-${Date.now()}` };
        const [first, second] = await Promise.all([hold(id, alice, { seats: ['A-2-1'] }, key), hold(id, alice, { seats: ['A-2-1'] }, key)]);
        const third = await hold(id, alice, { seats: ['A-2-1'] }, key);
        expect([first.status, second.status, third.status]).to.deep.equal([201, 201, 201]);
        expect(second.body).to.deep.equal(first.body);
        expect(third.body).to.deep.equal(first.body);
        const other = await hold(id, alice, { seats: ['A-2-2'] }, key);
        expect(other.status).to.equal(409);
        expect(other.body.code).to.equal('IDEMPOTENCY.KEY_REUSED');
        // the sales figures are a projection: wait for it to catch up, then it must say one hold
        const placed = async () => (await server.request('GET', `/api/shows/${id}/sales`, { token: admin.token })).body.holdsPlaced;
        expect(await eventually(placed, 1)).to.equal(1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await placed()).to.equal(1);
      });

      it('when a hold is released, then its seats are free at once', async () => {
        const id = await newShow();
        const held = await hold(id, alice, { seats: ['A-1-4'] });
        expect((await server.request('DELETE', `/api/holds/${held.body.holdId}`, { token: bob.token })).status).to.equal(404);
        expect((await server.request('DELETE', `/api/holds/${held.body.holdId}`, { token: alice.token })).status).to.equal(204);
        expect((await hold(id, bob, { seats: ['A-1-4'] })).status).to.equal(201);
        expect((await server.request('DELETE', `/api/holds/${held.body.holdId}`, { token: alice.token })).status).to.equal(204);
      });
    });

    describe('confirmations and reservations', () => {
      it('when a hold is confirmed, then the reservation is listed at once and the seats are sold', async () => {
        const id = await newShow();
        const held = await hold(id, alice, { seats: ['A-1-5', 'B-1-5'] });
        expect((await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: bob.token })).status).to.equal(404);
        const confirmed = await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: alice.token });
        expect(confirmed.status).to.equal(201);
        expect(confirmed.body).to.include({ total: 8000 });
        const again = await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: alice.token });
        expect(again.body.reservationId).to.equal(confirmed.body.reservationId);
        const mine = await server.request('GET', '/api/members/me/reservations', { token: alice.token });
        expect(mine.body.map((r: { reservationId: string }) => r.reservationId)).to.include(confirmed.body.reservationId);
        expect(await seatStatus(id, 'B-1-5', 'sold')).to.equal('sold');
        expect((await server.request('GET', '/api/members/me/reservations')).status).to.equal(401);
      });

      it('when a reservation is cancelled, then its seats are for sale again and it shows as cancelled', async () => {
        const id = await newShow();
        const held = await hold(id, alice, { seats: ['B-1-1'] });
        const { reservationId } = (await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: alice.token })).body;
        expect((await server.request('DELETE', `/api/reservations/${reservationId}`, { token: bob.token })).status).to.equal(404);
        const key = { 'Idempotency-Key': `cancel-${reservationId}` };
        expect(
          (await server.request('DELETE', `/api/reservations/${reservationId}`, { token: alice.token, headers: key })).status,
        ).to.equal(204);
        expect(
          (await server.request('DELETE', `/api/reservations/${reservationId}`, { token: alice.token, headers: key })).status,
        ).to.equal(204);
        expect(await seatStatus(id, 'B-1-1', 'available')).to.equal('available');
        const mine = await server.request('GET', '/api/members/me/reservations', { token: alice.token });
        expect(mine.body.find((r: { reservationId: string }) => r.reservationId === reservationId).status).to.equal('cancelled');
        // the sales figures follow the log within moments (no read-your-writes for admins)
        const sales = () => server.request('GET', `/api/shows/${id}/sales`, { token: admin.token });
        expect(await eventually(async () => (await sales()).body.reservationsCancelled, 1)).to.equal(1);
        expect((await sales()).body).to.include({ ticketsSold: 0, reservationsCancelled: 1, revenue: 0 });
      });

      it('when a general-admission quantity is held and confirmed, then the remaining count drops', async () => {
        const id = await newShow({ generalAdmission: { capacity: 60, price: 2500 } });
        const held = await hold(id, alice, { quantity: 3 });
        expect(held.status).to.equal(201);
        expect(held.body).to.include({ quantity: 3, total: 7500 });
        expect((await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: alice.token })).status).to.equal(201);
        const remaining = async () => (await server.request('GET', `/api/shows/${id}/seats`)).body.remaining;
        expect(await eventually(remaining, 57)).to.equal(57);
        expect((await hold(id, bob, { quantity: 101 })).status).to.equal(400);
        expect((await hold(id, bob, { quantity: 5 })).body.code).to.equal('BOOKING.LIMIT_EXCEEDED');
      });
    });
  });

  describe(`hold expiry (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;

    before(async function () {
      server = await BookingServer.start(this, mode, { HOLD_TTL_SECONDS: '1' });
    });

    after(async () => {
      await server?.close();
    });

    it('when a hold passes its deadline, then its seats are free, HoldExpired is recorded within a second, and it cannot be confirmed', async () => {
      const admin = await server.member({ admin: true });
      const member = await server.member();
      const id = (await server.request('POST', '/api/shows', { token: admin.token, body: showBody(twoSections) })).body.id;
      const held = await server.request('POST', `/api/shows/${id}/holds`, { token: member.token, body: { seats: ['A-1-1'] } });
      expect(held.status).to.equal(201);
      const deadline = Date.parse(held.body.expiresAt);
      await new Promise((resolve) => setTimeout(resolve, deadline - Date.now() + 20));
      const seats = await server.request('GET', `/api/shows/${id}/seats`);
      expect(seats.body.sections[0]).to.deep.include({ available: 10, held: 0, sold: 0, rows: ['aaaaa', 'aaaaa'] });
      const confirm = await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: member.token });
      expect(confirm.status).to.equal(409);
      expect(confirm.body.code).to.equal('BOOKING.HOLD_EXPIRED');
      let expired = 0;
      while (Date.now() < deadline + 1500 && expired === 0) {
        expired = (await server.request('GET', `/api/shows/${id}/sales`, { token: admin.token })).body.holdsExpired;
        if (!expired) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(expired, 'HoldExpired recorded within 1.5 s of the deadline').to.equal(1);
    });
  });
}
