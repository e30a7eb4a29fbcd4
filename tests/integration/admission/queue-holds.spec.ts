import { expect } from 'chai';
import { BookingServer, MODES, showBody } from '../booking/booking-server.js';

const oneSeat = { sections: [{ id: 'A', name: 'Stalls', rows: 1, seatsPerRow: 2, price: 5000 }] };

for (const { mode, title } of MODES) {
  describe(`holds behind the waiting room (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    let carol: { id: string; token: string };

    before(async function () {
      server = await BookingServer.start(this, mode);
      [admin, alice, bob, carol] = [
        await server.member({ admin: true }),
        await server.member(),
        await server.member(),
        await server.member(),
      ];
    });
    after(async () => server?.close());

    const queued = async () => {
      const body = showBody(oneSeat, { queue: { enabled: true, admitPerSecond: 20, maxActive: 1 }, maxTicketsPerMember: 2 });
      const created = await server.request('POST', '/api/shows', { token: admin.token, body });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.body.id as string;
    };
    /** Polls (or joins, while the catalogue catches up with a new show) until `done`, or 10 s. */
    const until = async (method: string, path: string, who: { token: string }, done: (body: any) => boolean) => {
      let reply = await server.request(method, path, { token: who.token });
      for (const end = Date.now() + 10_000; !done(reply.body) && Date.now() < end;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        reply = await server.request(method, path, { token: who.token });
      }
      return reply;
    };
    const hold = (showId: string, who: { token: string }, seat: string, token?: string) =>
      server.request('POST', `/api/shows/${showId}/holds`, {
        token: who.token,
        body: { seats: [seat] },
        headers: token ? { 'Admission-Token': token } : {},
      });

    it('when a queued show is held without admission, then 403 REQUIRED or INVALID; once admitted, the hold passes', async () => {
      const show = await queued();
      const bare = await hold(show, alice, 'A-1-1');
      expect(bare.status).to.equal(403);
      expect(bare.body.code).to.equal('ADMISSION.REQUIRED');
      expect((await hold(show, alice, 'A-1-1', 'kid.forged.token')).body.code).to.equal('ADMISSION.INVALID');
      await until('POST', `/api/shows/${show}/queue`, alice, (body) => body?.state === 'waiting' || body?.state === 'admitted');
      const admitted = await until('GET', `/api/shows/${show}/queue`, alice, (body) => body?.state === 'admitted');
      expect(admitted.body.state).to.equal('admitted');
      expect((await hold(show, bob, 'A-1-1', admitted.body.admissionToken)).body.code).to.equal('ADMISSION.INVALID');
      expect((await hold(show, alice, 'A-1-1', admitted.body.admissionToken)).status).to.equal(201);
    });

    it('when the admitted member confirms, then the place goes to the next; when sold out, those waiting are told', async () => {
      const show = await queued();
      await until('POST', `/api/shows/${show}/queue`, alice, (body) => body?.state === 'waiting' || body?.state === 'admitted');
      const admitted = await until('GET', `/api/shows/${show}/queue`, alice, (body) => body?.state === 'admitted');
      await server.request('POST', `/api/shows/${show}/queue`, { token: bob.token });
      await server.request('POST', `/api/shows/${show}/queue`, { token: carol.token });
      const held = await hold(show, alice, 'A-1-1', admitted.body.admissionToken);
      expect((await server.request('GET', `/api/shows/${show}/queue`, { token: bob.token })).body.state).to.equal('waiting');
      expect((await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: alice.token })).status).to.equal(201);
      const bobIn = await until('GET', `/api/shows/${show}/queue`, bob, (body) => body?.state === 'admitted');
      expect(bobIn.body.state).to.equal('admitted');
      const last = await hold(show, bob, 'A-1-2', bobIn.body.admissionToken);
      expect(last.status).to.equal(201);
      await server.request('POST', `/api/holds/${last.body.holdId}/confirm`, { token: bob.token });
      const closed = await until('GET', `/api/shows/${show}/queue`, carol, (body) => body?.state === 'closed');
      expect(closed.body).to.deep.equal({ state: 'closed', reason: 'sold_out' });
    });
  });
}
