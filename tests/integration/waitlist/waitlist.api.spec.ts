import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { OfferReturnedSeatsReactor } from '../../../src/application/waitlist/offer-returned-seats.reactor.js';
import { waitlistStreamId } from '../../../src/domain/waitlist/waitlist.events.js';
import { BookingServer, MODES, showBody, type Reply } from '../booking/booking-server.js';

/** Three seats in one row; a member may hold two. Offers last 0.15 min (9 s): expiry is seen, and a loaded machine still answers in time. */
const smallRow = { sections: [{ id: 'A', name: 'Stalls', rows: 1, seatsPerRow: 3, price: 5000 }] };
const OFFER_MINUTES = '0.15';

for (const { mode, title } of MODES) {
  describe(`the waiting list API (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    type Member = { id: string; token: string };

    before(async function () {
      server = await BookingServer.start(this, mode, { WAITLIST_OFFER_MINUTES: OFFER_MINUTES });
      admin = await server.member({ admin: true });
    });

    after(async () => {
      await server?.close();
    });

    const members = (n: number) => Promise.all(Array.from({ length: n }, () => server.member()));
    const waitlist = (showId: string, who: Member, method = 'GET', body?: unknown) =>
      server.request(method, `/api/shows/${showId}/waitlist`, { token: who.token, body });

    /** A show whose three seats are sold: A-1-1 and A-1-2 to `first`, A-1-3 to `second`; their reservation ids. */
    async function soldOutShow(
      first: Member,
      second: Member,
      maxTicketsPerMember = 2,
    ): Promise<{ showId: string; reservations: string[] }> {
      const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(smallRow, { maxTicketsPerMember }) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const showId = created.body.id as string;
      const reservations: string[] = [];
      for (const [who, seats] of [
        [first, ['A-1-1', 'A-1-2']],
        [second, ['A-1-3']],
      ] as const) {
        const held = await server.request('POST', `/api/shows/${showId}/holds`, { token: who.token, body: { seats } });
        expect(held.status, JSON.stringify(held.body)).to.equal(201);
        const confirmed = await server.request('POST', `/api/holds/${held.body.holdId}/confirm`, { token: who.token });
        expect(confirmed.status).to.equal(201);
        reservations.push(confirmed.body.reservationId);
      }
      return { showId, reservations };
    }

    /** The member's place once `done` says so (the reactor follows the log within moments), or the last seen after `waitMs`. */
    async function placeWhen(showId: string, who: Member, done: (reply: Reply) => boolean, waitMs = 8000): Promise<Reply> {
      let reply = await waitlist(showId, who);
      for (const until = Date.now() + waitMs; !done(reply) && Date.now() < until; reply = await waitlist(showId, who)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return reply;
    }
    const offered = (reply: Reply) => reply.status === 200 && reply.body.offer !== undefined;

    it('when tickets are still on sale, then joining is a 409 WAITLIST.NOT_SOLD_OUT naming how many', async () => {
      const [alice] = await members(1);
      const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(smallRow) });
      const joined = await waitlist(created.body.id, alice!, 'POST', {});
      expect(joined.status).to.equal(409);
      expect(joined.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(joined.body).to.include({ code: 'WAITLIST.NOT_SOLD_OUT', available: 3 });
    });

    it('when a show is sold out, then members join once each, in order, see their place, and an admin sees the size', async () => {
      const [a, b, c, d] = await members(4);
      const { showId } = await soldOutShow(a!, b!);
      expect((await waitlist(showId, c!, 'POST', {})).body).to.deep.equal({ place: 1, quantity: 1 });
      expect((await waitlist(showId, d!, 'POST', { quantity: 2 })).body).to.deep.equal({ place: 2, quantity: 2 });
      const again = await waitlist(showId, c!, 'POST', {});
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('WAITLIST.ALREADY_JOINED');
      const mine = await waitlist(showId, d!);
      expect(mine.body).to.include({ place: 2, quantity: 2, waiting: 2 });
      expect(mine.body).not.to.have.property('offer');
      const size = await server.request('GET', `/api/admin/shows/${showId}/waitlist`, { token: admin.token });
      expect(size.body).to.deep.equal({ showId, waiting: 2, offered: 0 });
      expect((await server.request('GET', `/api/admin/shows/${showId}/waitlist`, { token: c!.token })).status).to.equal(403);
    });

    it('when the quantity is above the per-member limit or not a number, then it is a 400 naming the field', async () => {
      const [a, b, c] = await members(3);
      const { showId } = await soldOutShow(a!, b!);
      const tooMany = await waitlist(showId, c!, 'POST', { quantity: 3 });
      expect(tooMany.status).to.equal(400);
      expect(tooMany.body).to.include({ code: 'WAITLIST.INVALID_QUANTITY', field: 'quantity' });
      expect((await waitlist(showId, c!, 'POST', { quantity: 'two' })).status).to.equal(400);
    });

    it('when a member leaves, then the next moves up; when they are not on it, then 404 WAITLIST.NOT_JOINED', async () => {
      const [a, b, c, d] = await members(4);
      const { showId } = await soldOutShow(a!, b!);
      await waitlist(showId, c!, 'POST', {});
      await waitlist(showId, d!, 'POST', {});
      expect((await waitlist(showId, c!, 'DELETE')).status).to.equal(204);
      expect((await waitlist(showId, d!)).body.place).to.equal(1);
      const gone = await waitlist(showId, c!);
      expect(gone.status).to.equal(404);
      expect(gone.body.code).to.equal('WAITLIST.NOT_JOINED');
      expect((await waitlist(showId, c!, 'DELETE')).body.code).to.equal('WAITLIST.NOT_JOINED');
    });

    it('when a reservation is cancelled, then its seats are held for the first member only, who confirms them', async () => {
      const [a, b, c, d] = await members(4);
      const { showId, reservations } = await soldOutShow(a!, b!);
      await waitlist(showId, c!, 'POST', { quantity: 2 });
      await waitlist(showId, d!, 'POST', {});
      expect((await server.request('DELETE', `/api/reservations/${reservations[0]}`, { token: a!.token })).status).to.equal(204);
      const offer = await placeWhen(showId, c!, offered);
      expect(offer.body.place).to.equal(0);
      expect(offer.body.offer).to.include({ quantity: 2 });
      expect(offer.body.offer.seats).to.deep.equal(['A-1-1', 'A-1-2']);
      const expiresIn = Date.parse(offer.body.offer.expiresAt) - Date.now();
      expect(expiresIn).to.be.within(0, 9000);
      expect((await waitlist(showId, d!)).body).to.include({ place: 1 });
      expect((await waitlist(showId, d!)).body).not.to.have.property('offer');
      // nobody else can have the offered seats
      const taken = await server.request('POST', `/api/shows/${showId}/holds`, { token: a!.token, body: { seats: ['A-1-1'] } });
      expect(taken.body.code).to.be.oneOf(['BOOKING.SEATS_UNAVAILABLE', 'WAITLIST.MEMBERS_WAITING']);
      const confirmed = await server.request('POST', `/api/holds/${offer.body.offer.holdId}/confirm`, { token: c!.token });
      expect(confirmed.status).to.equal(201);
      expect(confirmed.body.seats).to.deep.equal(['A-1-1', 'A-1-2']);
      expect((await placeWhen(showId, c!, (r) => r.status === 404)).status).to.equal(404);
    });

    it('while members wait, an ordinary hold of a returned seat is refused with WAITLIST.MEMBERS_WAITING; once nobody waits, it is on sale again', async () => {
      const [a, b, c, e] = await members(4);
      const { showId, reservations } = await soldOutShow(a!, b!);
      await waitlist(showId, c!, 'POST', {});
      await server.request('DELETE', `/api/reservations/${reservations[0]}`, { token: a!.token });
      // one of the two seats is offered to c; the other is on sale only once c's offer left nobody waiting
      const offer = await placeWhen(showId, c!, offered);
      expect(offer.body.offer.seats).to.deep.equal(['A-1-1']);
      const free = await server.request('POST', `/api/shows/${showId}/holds`, { token: e!.token, body: { seats: ['A-1-2'] } });
      expect(free.status, JSON.stringify(free.body)).to.equal(201);
      // c books theirs before the offer runs out, so that the show stays sold out
      expect((await server.request('POST', `/api/holds/${offer.body.offer.holdId}/confirm`, { token: c!.token })).status).to.equal(201);

      const [f, g] = await members(2);
      expect((await waitlist(showId, f!, 'POST', {})).status).to.equal(201);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the hold handler's view of the list is up to 1 s old
      await server.request('DELETE', `/api/holds/${free.body.holdId}`, { token: e!.token });
      const refused = await server.request('POST', `/api/shows/${showId}/holds`, { token: g!.token, body: { seats: ['A-1-2'] } });
      expect(refused.status).to.equal(409);
      expect(refused.body.code).to.be.oneOf(['WAITLIST.MEMBERS_WAITING', 'BOOKING.SEATS_UNAVAILABLE']);
      expect((await placeWhen(showId, f!, offered)).body.offer.seats).to.deep.equal(['A-1-2']);
    });

    it('when the reactor is handed the same returned seats again (a redelivery), then nothing more is offered or held', async () => {
      const [a, b, c, d] = await members(4);
      const { showId, reservations } = await soldOutShow(a!, b!);
      await waitlist(showId, c!, 'POST', {});
      await waitlist(showId, d!, 'POST', {});
      await server.request('DELETE', `/api/reservations/${reservations[1]}`, { token: b!.token });
      const offer = await placeWhen(showId, c!, offered);
      const store = server.running.container.resolve<EventStore>(TOKENS.EventStore);
      const count = async () => {
        const events = await store.readAll(0, 100_000);
        const of = (type: string) => events.filter((e) => e.type === type && (e.data as { showId: string }).showId === showId).length;
        return { offered: of('WaitlistOffered'), held: of('HoldPlaced'), events: events.length };
      };
      const before = await count();
      const released = (await store.readAll(0, 100_000)).find(
        (e) => e.type === 'SeatsReleased' && (e.data as { showId: string }).showId === showId,
      )!;
      const reactor = server.running.container.resolve(OfferReturnedSeatsReactor);
      await Promise.all([reactor.react(released), reactor.react(released)]);
      expect(await count()).to.deep.equal(before);
      expect(before.offered).to.equal(1);
      expect((await waitlist(showId, c!)).body.offer.holdId).to.equal(offer.body.offer.holdId);
      expect((await waitlist(showId, d!)).body).to.include({ place: 1 });
    });

    it('when the member declines, then the seats go to the next member and the first leaves the list', async () => {
      const [a, b, c, d] = await members(4);
      const { showId, reservations } = await soldOutShow(a!, b!);
      await waitlist(showId, c!, 'POST', {});
      await waitlist(showId, d!, 'POST', {});
      await server.request('DELETE', `/api/reservations/${reservations[1]}`, { token: b!.token });
      const first = await placeWhen(showId, c!, offered);
      expect(first.body.offer.seats).to.deep.equal(['A-1-3']);
      const leaving = await waitlist(showId, c!, 'DELETE');
      expect(leaving.status).to.equal(409);
      expect(leaving.body.code).to.equal('WAITLIST.OFFER_OPEN');
      const declined = await server.request('POST', `/api/shows/${showId}/waitlist/offer/decline`, { token: c!.token });
      expect(declined.status).to.equal(204);
      const next = await placeWhen(showId, d!, offered);
      expect(next.body.offer.seats).to.deep.equal(['A-1-3']);
      expect((await placeWhen(showId, c!, (r) => r.status === 404)).status).to.equal(404);
      const noOffer = await server.request('POST', `/api/shows/${showId}/waitlist/offer/decline`, { token: c!.token });
      expect(noOffer.body.code).to.equal('WAITLIST.NO_OFFER');
    });

    it('when an offer expires, then the same seats are offered to the next member', async () => {
      const [a, b, c, d] = await members(4);
      const { showId, reservations } = await soldOutShow(a!, b!);
      await waitlist(showId, c!, 'POST', {});
      await waitlist(showId, d!, 'POST', {});
      await server.request('DELETE', `/api/reservations/${reservations[1]}`, { token: b!.token });
      const first = await placeWhen(showId, c!, offered);
      expect(first.body.offer.seats).to.deep.equal(['A-1-3']);
      const next = await placeWhen(showId, d!, offered, 20_000);
      expect(next.body.offer.seats, 'the next member is offered the seat once the first offer expired').to.deep.equal(['A-1-3']);
      const late = await server.request('POST', `/api/holds/${first.body.offer.holdId}/confirm`, { token: c!.token });
      expect(late.body.code).to.equal('BOOKING.HOLD_EXPIRED');
    });

    it('when a member asks for more than their limit leaves room, then joining is a 409 BOOKING.LIMIT_EXCEEDED', async () => {
      const [a, b] = await members(2);
      const { showId } = await soldOutShow(a!, b!);
      const refused = await waitlist(showId, b!, 'POST', { quantity: 2 });
      expect(refused.status).to.equal(409);
      expect(refused.body).to.include({ code: 'BOOKING.LIMIT_EXCEEDED', limit: 2, current: 1, requested: 2 });
      expect((await waitlist(showId, b!, 'POST', { quantity: 1 })).status).to.equal(201);
    });

    it('when the first member has no room left under the limit at offer time, then they are passed over and the seats go to the next', async () => {
      const [a, b, d] = await members(3);
      const { showId, reservations } = await soldOutShow(a!, b!);
      // b (one ticket of two) on the list for two: the join refuses that now, so it is written as an older list might have it
      const store = server.running.container.resolve<EventStore>(TOKENS.EventStore);
      const joinedAt = new Date().toISOString();
      await store.append(
        waitlistStreamId(showId),
        [{ id: randomUUID(), type: 'WaitlistJoined', data: { showId, memberId: b!.id, quantity: 2, joinedAt } }],
        'no_stream',
      );
      await waitlist(showId, d!, 'POST', {});
      await server.request('DELETE', `/api/reservations/${reservations[0]}`, { token: a!.token });
      const next = await placeWhen(showId, d!, offered);
      expect(next.body.offer.quantity).to.equal(1);
      expect((await placeWhen(showId, b!, (r) => r.status === 404)).body.code).to.equal('WAITLIST.NOT_JOINED');
      const failed = (await store.readStream(waitlistStreamId(showId))).find((e) => e.type === 'WaitlistOfferFailed');
      expect(failed?.data).to.include({ memberId: b!.id, reason: 'limit' });
    });
  });
}
