import { expect } from 'chai';
import { BookingServer, MODES, showBody, type Reply } from '../booking/booking-server.js';

const fourSeats = { sections: [{ id: 'A', name: 'Stalls', rows: 1, seatsPerRow: 4, price: 5000 }] };
/** Long enough for the confirm case to finish on a loaded machine, short enough to wait for in the expiry case. */
const HOLD_TTL_SECONDS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Who = { id: string; token: string };

/**
 * Issue 20: a hold made under an earlier admission, ending (confirmed, released, expired), ends that
 * admission only. A member who came back through the queue and was admitted again keeps the place.
 */
for (const { mode, title } of MODES) {
  describe(`a member admitted again keeps the admission when an earlier hold ends (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: Who;

    before(async function () {
      server = await BookingServer.start(this, mode, { HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS) });
      admin = await server.member({ admin: true });
    });
    after(async () => server?.close());

    const queued = async () => {
      const queue = { enabled: true, admitPerSecond: 20, maxActive: 1 };
      const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(fourSeats, { queue }) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return created.body.id as string;
    };
    /** Repeats `call` until `done` (every 50 ms, for up to 10 s). */
    const until = async (call: () => Promise<Reply>, done: (reply: Reply) => boolean) => {
      let reply = await call();
      for (const end = Date.now() + 10_000; !done(reply) && Date.now() < end; reply = await call()) await sleep(50);
      return reply;
    };
    /** Joins (while the catalogue catches up with a new show, until it is known) and waits for the admission. */
    const admitted = async (show: string, who: Who) => {
      const path = `/api/shows/${show}/queue`;
      await until(
        () => server.request('POST', path, { token: who.token }),
        (reply) => ['waiting', 'admitted'].includes(reply.body?.state),
      );
      const reply = await until(
        () => server.request('GET', path, { token: who.token }),
        (r) => r.body?.state === 'admitted',
      );
      expect(reply.body.state, JSON.stringify(reply.body)).to.equal('admitted');
      return reply.body.admissionToken as string;
    };
    const hold = (show: string, who: Who, seat: string, admissionToken: string) =>
      server.request('POST', `/api/shows/${show}/holds`, {
        token: who.token,
        body: { seats: [seat] },
        headers: { 'Admission-Token': admissionToken },
      });
    const state = async (show: string, who: Who) =>
      (await server.request('GET', `/api/shows/${show}/queue`, { token: who.token })).body?.state as string;
    const stateBecomes = async (show: string, who: Who, wanted: string) => {
      const reply = await until(
        () => server.request('GET', `/api/shows/${show}/queue`, { token: who.token }),
        (r) => r.body?.state === wanted,
      );
      return reply.body?.state as string;
    };

    it('when the member confirms a hold of the earlier admission, then the later admission stands and their next hold succeeds', async () => {
      const show = await queued();
      const [alice, bob] = [await server.member(), await server.member()];
      const first = await admitted(show, alice);
      const early = await hold(show, alice, 'A-1-1', first);
      const other = await hold(show, alice, 'A-1-2', first);
      expect([early.status, other.status]).to.deep.equal([201, 201]);
      // confirming one hold ends the first admission: alice comes back through the queue to buy more
      expect((await server.request('POST', `/api/holds/${other.body.holdId}/confirm`, { token: alice.token })).status).to.equal(201);
      const second = await admitted(show, alice);
      await server.request('POST', `/api/shows/${show}/queue`, { token: bob.token });
      const confirmed = await server.request('POST', `/api/holds/${early.body.holdId}/confirm`, { token: alice.token });
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
      expect(await state(show, alice)).to.equal('admitted');
      const more = await hold(show, alice, 'A-1-3', second);
      expect(more.status, JSON.stringify(more.body)).to.equal(201);
      // alice's second admission still takes the one place: bob waits
      expect(await state(show, bob)).to.equal('waiting');
      // a hold of the second admission ends it, and the place goes to bob
      await server.request('POST', `/api/holds/${more.body.holdId}/confirm`, { token: alice.token });
      expect(await stateBecomes(show, bob, 'admitted')).to.equal('admitted');
    });

    it('when a hold of the earlier admission expires, then the later admission stands and their next hold succeeds', async () => {
      const show = await queued();
      const alice = await server.member();
      const first = await admitted(show, alice);
      const early = await hold(show, alice, 'A-1-1', first);
      const other = await hold(show, alice, 'A-1-2', first);
      expect([early.status, other.status]).to.deep.equal([201, 201]);
      expect((await server.request('DELETE', `/api/holds/${other.body.holdId}`, { token: alice.token })).status).to.equal(204);
      const second = await admitted(show, alice);
      const deadline = Date.parse(early.body.expiresAt);
      expect(Date.now(), 'admitted again before the earlier hold expires').to.be.below(deadline);
      const expired = await until(
        () => server.request('GET', `/api/shows/${show}/sales`, { token: admin.token }),
        (reply) => reply.body?.holdsExpired >= 1,
      );
      expect(expired.body.holdsExpired).to.equal(1);
      // the expirer ends the admission right after recording HoldExpired; the sales read model may be quicker
      await sleep(300);
      expect(await state(show, alice)).to.equal('admitted');
      const more = await hold(show, alice, 'A-1-3', second);
      expect(more.status, JSON.stringify(more.body)).to.equal(201);
    });
  });
}
