import { expect } from 'chai';
import { BookingServer, MODES, showBody, twoSections } from '../booking/booking-server.js';
import { samplesUntil } from './live-samples.js';

for (const { mode, title } of MODES) {
  describe(`the live sale stream for the dashboard (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    let buyer: { id: string; token: string };
    let showId: string;

    before(async function () {
      server = await BookingServer.start(this, mode);
      admin = await server.member({ admin: true });
      buyer = await server.member();
      showId = (await server.request('POST', '/api/shows', { token: admin.token, body: showBody(twoSections) })).body.id;
    });

    after(async () => {
      await server?.close();
    });

    const url = () => `http://127.0.0.1:${server.running.port}/api/admin/shows/${showId}/live`;

    it('when the organizer listens, then a sample comes every second with sold, held, capacity and the waiting room', async () => {
      const { samples } = await samplesUntil(url(), admin.token, (_, all) => all.length >= 2);
      expect(samples.length).to.be.at.least(2);
      expect(samples[0]).to.include({
        state: 'on-sale',
        capacity: 15,
        sold: 0,
        held: 0,
        waiting: 0,
        active: 0,
        paused: false,
        waitingRoom: false,
      });
      const gap = Date.parse(samples[1].at) - Date.parse(samples[0].at);
      expect(gap).to.be.within(900, 1600);
    });

    it('when a buyer books two seats, then the stream shows them sold within two seconds', async () => {
      const listening = samplesUntil(url(), admin.token, (sample) => sample.sold === 2);
      const hold = await server.request('POST', `/api/shows/${showId}/holds`, { token: buyer.token, body: { seats: ['B-1-1', 'B-1-2'] } });
      const booked = performance.now();
      await server.request('POST', `/api/holds/${hold.body.holdId}/confirm`, { token: buyer.token });
      const { samples } = await listening;
      expect(samples.at(-1).sold).to.equal(2);
      expect(performance.now() - booked).to.be.below(2000);
    });

    it('when requests fail, then the stream counts the 4xx within two seconds, beside the projection lag and the ETA error sums', async () => {
      const { samples: first } = await samplesUntil(url(), admin.token, () => true);
      const before = first[0];
      expect(before).to.include.keys(
        'projectionLagPositions',
        'projectionLagSeconds',
        'serverErrorsTotal',
        'etaErrorSumSeconds',
        'etaErrorCount',
      );
      expect(before.projectionLagPositions).to.be.at.least(0);
      expect(before.forgedScans).to.deep.equal([]);
      const listening = samplesUntil(url(), admin.token, (sample) => sample.clientErrorsTotal >= before.clientErrorsTotal + 3);
      for (let i = 0; i < 3; i++) expect((await server.request('GET', '/api/shows/no-such-show')).status).to.equal(404);
      const failed = performance.now();
      const { samples } = await listening;
      expect(samples.at(-1).clientErrorsTotal).to.be.at.least(before.clientErrorsTotal + 3);
      expect(performance.now() - failed).to.be.below(2500);
    });

    it('when a buyer asks for the stream, or the show does not exist, then 403 and 404', async () => {
      expect((await fetch(url(), { headers: { authorization: `Bearer ${buyer.token}` } })).status).to.equal(403);
      const missing = `http://127.0.0.1:${server.running.port}/api/admin/shows/no-such-show/live`;
      expect((await fetch(missing, { headers: { authorization: `Bearer ${admin.token}` } })).status).to.equal(404);
    });
  });
}
