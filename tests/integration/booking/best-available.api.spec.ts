import { expect } from 'chai';
import { seatsOf } from '../../../src/projections/seat-map/compact-seat-map.js';
import { BookingServer, MODES, showBody } from './booking-server.js';

/** Stalls: 3 rows of 8, an aisle after seat 4, a wheelchair place and its companion in row 3; Circle: 2 rows of 6. */
const hall = {
  sections: [
    {
      id: 'ST',
      name: 'Stalls',
      rows: 3,
      seatsPerRow: 8,
      price: 5000,
      aisles: [4],
      wheelchair: ['3-4'],
      companions: ['3-3'],
    },
    { id: 'CI', name: 'Circle', rows: 2, seatsPerRow: 6, price: 3000 },
  ],
};

for (const { mode, title } of MODES) {
  describe(`best available over the API (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { token: string };

    before(async function () {
      server = await BookingServer.start(this, mode);
      admin = await server.member({ admin: true });
    });

    after(async () => {
      await server?.close();
    });

    async function newShow(overrides: Record<string, unknown> = {}): Promise<string> {
      const created = await server.request('POST', '/api/shows', {
        token: admin.token,
        body: showBody(hall, { maxTicketsPerMember: 8, ...overrides }),
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.body.id;
    }

    const hold = async (showId: string, body: unknown) =>
      server.request('POST', `/api/shows/${showId}/holds`, { token: (await server.member()).token, body });

    it('when a party asks for a quantity, then it gets the best block together and the seat map shows it held', async () => {
      const id = await newShow();
      const first = await hold(id, { quantity: 2 });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(first.body).to.include({ quantity: 2, total: 10_000, together: true });
      expect(first.body.seats).to.deep.equal(['ST-1-3', 'ST-1-4']);
      const second = await hold(id, { quantity: 2 });
      expect(second.body.seats).to.deep.equal(['ST-1-5', 'ST-1-6']);
      let map: { id: string; status: string }[] = [];
      for (const until = Date.now() + 3000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 25))) {
        map = seatsOf((await server.request('GET', `/api/shows/${id}/seats`)).body);
        if (map.filter((s) => s.status === 'held').length === 4) break;
      }
      expect(map.filter((s) => s.status === 'held').map((s) => s.id)).to.have.members(['ST-1-3', 'ST-1-4', 'ST-1-5', 'ST-1-6']);
    });

    it('when a section or a price limit is given, then the seats come from where it allows', async () => {
      const id = await newShow();
      expect((await hold(id, { quantity: 2, section: 'CI' })).body.seats).to.deep.equal(['CI-1-3', 'CI-1-4']);
      expect((await hold(id, { quantity: 1, maxPrice: 3000 })).body.seats).to.deep.equal(['CI-2-3']); // row 1's seats left would each strand one
      const none = await hold(id, { quantity: 1, maxPrice: 100 });
      expect(none.status).to.equal(409);
      expect(none.body).to.include({ code: 'BOOKING.SEATS_UNAVAILABLE', requested: 1, available: 0 });
    });

    it('when no row has the party together and together is required, then it is a 409 naming the biggest block', async () => {
      const id = await newShow();
      const refused = await hold(id, { quantity: 7, together: 'required' });
      expect(refused.status).to.equal(409);
      expect(refused.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(refused.body).to.include({ code: 'BOOKING.NOT_TOGETHER', requested: 7, biggestBlock: 6 });
      const apart = await hold(id, { quantity: 7, together: 'preferred' });
      expect(apart.status).to.equal(201);
      expect(apart.body).to.include({ together: false, quantity: 7 });
    });

    it('when a wheelchair place is asked for, then it comes with its companion seat, and never otherwise', async () => {
      const id = await newShow();
      const accessible = await hold(id, { quantity: 2, accessible: 1 });
      expect(accessible.body.seats).to.deep.equal(['ST-3-3', 'ST-3-4']);
      const again = await hold(id, { quantity: 2, accessible: 1 });
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('BOOKING.SEATS_UNAVAILABLE');
    });

    it('when the show refuses orphan seats, then a hand pick that strands one is a 409 naming it and a choice that does not', async () => {
      const id = await newShow({ orphanSeats: 'refuse' });
      const refused = await hold(id, { seats: ['CI-1-2', 'CI-1-3'] });
      expect(refused.status).to.equal(409);
      expect(refused.body).to.deep.include({ code: 'BOOKING.ORPHAN_SEAT', seat: 'CI-1-1', suggestion: ['CI-1-1', 'CI-1-2'] });
      expect((await hold(id, { seats: ['CI-1-1', 'CI-1-2'] })).status).to.equal(201);
    });

    it('when the show warns of orphan seats, then the hold is placed with the warning', async () => {
      const id = await newShow({ orphanSeats: 'warn' });
      const warned = await hold(id, { seats: ['CI-1-2', 'CI-1-3'] });
      expect(warned.status).to.equal(201);
      expect(warned.body.warnings).to.deep.equal([{ code: 'BOOKING.ORPHAN_SEAT', seat: 'CI-1-1', suggestion: ['CI-1-1', 'CI-1-2'] }]);
    });

    it('when the layout is malformed, then scheduling is a 400 naming the field', async () => {
      const outside = { sections: [{ ...hall.sections[1], wheelchair: ['9-1'] }] };
      const refused = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(outside) });
      expect(refused.status).to.equal(400);
      expect(refused.body).to.include({ code: 'CATALOG.INVALID_SHOW', field: 'seating.sections[0].wheelchair[0]' });
      const badShape = { sections: [{ ...hall.sections[1], aisles: ['x'] }] };
      const malformed = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(badShape) });
      expect(malformed.status).to.equal(400);
      expect(malformed.body.detail).to.contain('aisles');
      const badRule = await server.request('POST', '/api/shows', {
        token: admin.token,
        body: showBody(hall, { orphanSeats: 'sometimes' }),
      });
      expect(badRule.status).to.equal(400);
      expect(badRule.body.detail).to.contain('orphanSeats');
    });

    it('when seats are blocked, then the show counts without them, the map marks them x and a hold naming one is a 400', async () => {
      const pillar = { sections: [hall.sections[0], { ...hall.sections[1], blocked: ['1-3', '1-4'] }] };
      const created = await server.request('POST', '/api/shows', {
        token: admin.token,
        body: showBody(pillar, { maxTicketsPerMember: 8 }),
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const id = created.body.id;
      const show = await server.request('GET', `/api/shows/${id}`);
      expect(show.body).to.include({ capacity: 34, remaining: 34 });
      expect(show.body.seating.sections[1].blocked).to.deep.equal(['1-3', '1-4']);
      const map = await server.request('GET', `/api/shows/${id}/seats`);
      expect(map.body.legend).to.include({ x: 'blocked' });
      expect(map.body.sections[1]).to.include({ available: 10, blocked: 2 });
      expect(map.body.sections[1].rows).to.deep.equal(['aaxxaa', 'aaaaaa']);
      const picked = await hold(id, { seats: ['CI-1-2', 'CI-1-3'] });
      expect(picked.status).to.equal(400);
      expect(picked.body).to.deep.include({ code: 'BOOKING.INVALID_REQUEST', seats: ['CI-1-3'] });
      expect((await hold(id, { quantity: 3, section: 'CI' })).body.seats).to.deep.equal(['CI-2-1', 'CI-2-2', 'CI-2-3']);
      const patched = await server.request('PATCH', `/api/shows/${id}`, { token: admin.token, body: { seating: pillar } });
      expect(patched.status).to.equal(400);
    });

    it('when a blocked seat is outside the section or named twice, then scheduling is a 400 naming the entry', async () => {
      for (const [blocked, field] of [
        [['9-1'], 'seating.sections[0].blocked[0]'],
        [['1-1', '2-2', '1-1'], 'seating.sections[0].blocked[2]'],
      ] as const) {
        const body = showBody({ sections: [{ ...hall.sections[1], blocked }] });
        const refused = await server.request('POST', '/api/shows', { token: admin.token, body });
        expect(refused.status).to.equal(400);
        expect(refused.body).to.include({ code: 'CATALOG.INVALID_SHOW', field });
      }
      const malformed = await server.request('POST', '/api/shows', {
        token: admin.token,
        body: showBody({ sections: [{ ...hall.sections[1], blocked: ['1/1'] }] }),
      });
      expect(malformed.status).to.equal(400);
      expect(malformed.body.detail).to.contain('blocked');
    });

    it('when the OpenAPI document is read, then the hold body has the best-available options', async () => {
      const doc = (await server.request('GET', '/api/openapi.json')).body;
      const body = JSON.stringify(doc.paths['/api/shows/{id}/holds'].post.requestBody);
      expect(body).to.contain('"together"').and.contain('"maxPrice"').and.contain('"accessible"');
    });
  });
}
