import { expect } from 'chai';
import { BookingServer, MODES, showBody, twoSections } from '../booking/booking-server.js';

/** The value of one sample of /metrics, 0 when absent. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

for (const { mode, title } of MODES) {
  describe(`check-in counts per show and gate, and the door list (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    let buyer: { id: string; token: string };
    let door: { id: string; token: string };
    let otherDoor: { id: string; token: string };
    let showId: string;
    let otherShowId: string;

    before(async function () {
      server = await BookingServer.start(this, mode);
      [admin, buyer] = [await server.member({ admin: true }), await server.member()];
      showId = await newShow(twoSections);
      otherShowId = await newShow({ generalAdmission: { capacity: 50, price: 1000 } });
      door = await server.staff(admin, showId);
      otherDoor = await server.staff(admin, otherShowId);
    });

    after(async () => {
      await server?.close();
    });

    async function newShow(seating: unknown): Promise<string> {
      const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(seating) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.body.id;
    }

    async function reserve(body: unknown, who = buyer): Promise<{ reservationId: string; codes: string[] }> {
      const held = await server.request('POST', `/api/shows/${showId}/holds`, { token: who.token, body });
      expect(held.status, JSON.stringify(held.body)).to.equal(201);
      const confirmed = await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: who.token });
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
      const { reservationId } = confirmed.body;
      const tickets = await server.request('GET', `/api/reservations/${reservationId}/tickets`, { token: who.token });
      return { reservationId, codes: tickets.body.tickets.map((t: { code: string }) => t.code) };
    }

    /** GETs `path` as `who` until `done(body)` (read models follow the log within moments), for at most 10 s. */
    async function until(path: string, who: { token: string }, done: (body: any) => boolean): Promise<any> {
      const end = Date.now() + 10_000;
      for (;;) {
        const reply = await server.request('GET', path, { token: who.token });
        expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
        if (done(reply.body) || Date.now() > end) return reply.body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    it('when tickets are admitted at two gates, then the show says admitted of sold and counts each gate; /metrics counts by outcome', async () => {
      const metricsBefore = await (await fetch(`http://127.0.0.1:${server.running.port}/metrics`)).text();
      const party = await reserve({ seats: ['A-1-1', 'A-1-2', 'A-1-3'] });
      const scan = (code: string, gate: string) => server.request('POST', '/api/checkins', { token: door.token, body: { code, gate } });
      expect((await scan(party.codes[0]!, 'North')).status).to.equal(201);
      expect((await scan(party.codes[1]!, 'North')).status).to.equal(201);
      expect((await scan(party.codes[2]!, 'South')).status).to.equal(201);
      expect((await scan(party.codes[2]!, 'North')).status).to.equal(409);

      const counts = await until(`/api/shows/${showId}/checkins`, door, (body) => body.checkedIn === 3);
      expect(counts).to.deep.include({ showId, checkedIn: 3, total: 3 });
      expect(counts.gates.map((g: { gate: string; checkedIn: number }) => [g.gate, g.checkedIn])).to.deep.equal([
        ['North', 2],
        ['South', 1],
      ]);
      expect(Date.parse(counts.gates[0].lastAt)).to.be.closeTo(Date.now(), 60_000);
      // admins see it too
      expect((await server.request('GET', `/api/shows/${showId}/checkins`, { token: admin.token })).body.checkedIn).to.equal(3);

      const metricsAfter = await (await fetch(`http://127.0.0.1:${server.running.port}/metrics`)).text();
      const rise = (labels: string) =>
        sample(metricsAfter, 'onsale_checkins_total', labels) - sample(metricsBefore, 'onsale_checkins_total', labels);
      expect(rise('outcome="admitted"')).to.equal(3);
      expect(rise('outcome="TICKET.ALREADY_USED"')).to.equal(1);
    });

    it('when a buyer, staff of another show or anyone for an unknown show asks, then it is 403 or 404', async () => {
      const asBuyer = await server.request('GET', `/api/shows/${showId}/checkins`, { token: buyer.token });
      expect([asBuyer.status, asBuyer.body.code]).to.deep.equal([403, 'CHECKIN.NOT_STAFF']);
      const asOther = await server.request('GET', `/api/shows/${showId}/door-list`, { token: otherDoor.token });
      expect([asOther.status, asOther.body.code]).to.deep.equal([403, 'CHECKIN.NOT_STAFF']);
      const unknown = await server.request('GET', '/api/shows/0b7c6a52-1111-4000-8000-00000000dead/checkins', { token: admin.token });
      expect([unknown.status, unknown.body.code]).to.deep.equal([404, 'CATALOG.SHOW_NOT_FOUND']);
      expect((await server.request('GET', `/api/shows/${showId}/checkins`)).status).to.equal(401);
    });

    it('when a reservation is cancelled, then the door list names it as revoked, beside the keys and the tickets admitted', async () => {
      const cancelled = await reserve({ seats: ['B-1-1'] });
      expect((await server.request('DELETE', `/api/reservations/${cancelled.reservationId}`, { token: buyer.token })).status).to.equal(204);
      const list = await until(`/api/shows/${showId}/door-list`, door, (body) =>
        body.revokedReservations.includes(cancelled.reservationId),
      );
      expect(list.revokedReservations).to.deep.equal([cancelled.reservationId]);
      expect(list.admitted).to.have.length(3);
      expect(list.admitted.map((a: { gate: string }) => a.gate).sort()).to.deep.equal(['North', 'North', 'South']);
      const keys = await server.request('GET', '/api/tickets/keys');
      expect(list.keys).to.deep.equal(keys.body.keys);
      expect(Date.parse(list.asOf)).to.be.closeTo(Date.now(), 60_000);
      // the cancelled ticket no longer counts as sold
      expect((await until(`/api/shows/${showId}/checkins`, door, (body) => body.total === 3)).total).to.equal(3);
    });

    it('when an offline scanner sends a scan later, then it is recorded at the scan’s time (within a day), else 400 CHECKIN.SCAN_TOO_OLD', async () => {
      const party = await reserve({ seats: ['A-2-1'] });
      const stale = await server.request('POST', '/api/checkins', {
        token: door.token,
        body: { code: party.codes[0], gate: 'East', showId, scannedAt: new Date(Date.now() - 25 * 3600_000).toISOString() },
      });
      expect([stale.status, stale.body.code]).to.deep.equal([400, 'CHECKIN.SCAN_TOO_OLD']);
      const scannedAt = new Date(Date.now() - 30 * 60_000).toISOString();
      const late = await server.request('POST', '/api/checkins', {
        token: door.token,
        body: { code: party.codes[0], gate: 'East', showId, scannedAt },
      });
      expect(late.status, JSON.stringify(late.body)).to.equal(201);
      expect(late.body.checkedInAt).to.equal(scannedAt);
      expect(Date.parse(late.body.syncedAt)).to.be.closeTo(Date.now(), 60_000);
    });

    it('when forged codes are scanned, then they are 400 TICKET.FORGED and counted per gate for the door’s show, else the claimed show, else unattributed', async () => {
      const metricsBefore = await (await fetch(`http://127.0.0.1:${server.running.port}/metrics`)).text();
      // a genuine ticket's code with its signature altered: it claims this show
      const genuine = (await reserve({ seats: ['A-2-5'] }, await server.member())).codes[0]!;
      const forged = `${genuine.slice(0, -86)}${genuine.at(-86) === 'A' ? 'B' : 'A'}${genuine.slice(-85)}`;
      const madeUp = forged.replace(showId, '0b7c6a52-1111-4000-8000-00000000beef');
      const scan = (code: string, gate: string, doorShowId?: string) =>
        server.request('POST', '/api/checkins', { token: door.token, body: { code, gate, ...(doorShowId ? { showId: doorShowId } : {}) } });
      for (const [code, gate, doorShowId] of [
        [forged, 'North'],
        [forged, 'West', showId],
        [madeUp, 'West', showId],
        [madeUp, 'West'],
      ] as const) {
        const refused = await scan(code, gate, doorShowId);
        expect([refused.status, refused.body.code]).to.deep.equal([400, 'TICKET.FORGED']);
      }
      // a code of another shape is a wrong scan, not a forgery
      expect((await scan('https://example.com', 'North')).body.code).to.equal('TICKET.MALFORMED');

      const counts = await until(
        `/api/shows/${showId}/checkins`,
        door,
        (body) => body.forged.reduce((sum: number, g: { forged: number }) => sum + g.forged, 0) === 3,
      );
      expect(counts.forged.map((g: { gate: string; forged: number }) => [g.gate, g.forged])).to.deep.equal([
        ['West', 2],
        ['North', 1],
      ]);
      expect(Date.parse(counts.forged[0].lastAt)).to.be.closeTo(Date.now(), 60_000);
      const metricsAfter = await (await fetch(`http://127.0.0.1:${server.running.port}/metrics`)).text();
      const rise = (labels: string) =>
        sample(metricsAfter, 'onsale_checkin_forged_scans_total', labels) -
        sample(metricsBefore, 'onsale_checkin_forged_scans_total', labels);
      expect(rise(`show="${showId}"`)).to.equal(3);
      expect(rise('show="unattributed"')).to.equal(1);
    });
  });
}
