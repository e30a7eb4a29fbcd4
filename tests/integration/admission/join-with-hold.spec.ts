import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { Authenticator } from '../../../src/application/ports/authenticator.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { HoldSeatsHandler } from '../../../src/application/booking/hold-seats.handler.js';
import { apiRoutes } from '../../../src/infrastructure/http/api-routes.js';
import { createApp } from '../../../src/infrastructure/http/app.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { BookingServer, MODES, showBody, type Reply } from '../booking/booking-server.js';
import { randomIp } from '../members/members-server.js';

const standing = (capacity: number) => ({ generalAdmission: { capacity, price: 2500 } });
type Who = { token: string };

for (const { mode, title } of MODES) {
  describe(`a join that asks for a hold (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let koa: { server: Server; port: number };
    let admin: Who;

    before(async function () {
      // joins are limited per address: each request comes from an address of its own; one join in progress at a time
      server = await BookingServer.start(this, mode, { TRUST_PROXY_HOPS: '1', JOINS_IN_PROGRESS: '1' });
      admin = await server.member({ admin: true });
      koa = await koaOnly(server);
    });
    after(async () => {
      if (koa) await new Promise((resolve) => koa.server.close(resolve));
      // the keep-alive connections of the client's last requests (a test that failed halfway leaves some busy)
      server?.running.server.closeAllConnections();
      await server?.close();
    });

    /** A queued standing show admitting one member at a time, once the queue knows it. */
    const queued = async (capacity = 10) => {
      const body = showBody(standing(capacity), { queue: { enabled: true, admitPerSecond: 50, maxActive: 1 }, maxTicketsPerMember: 4 });
      const created = await server.request('POST', '/api/shows', { token: admin.token, body });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const id = created.body.id as string;
      // the waiting room reads new shows from the catalogue's read model: a probe joins and leaves once it knows
      const probe = await server.member();
      await eventually(
        () => request(server.running.port, 'POST', `/api/shows/${id}/queue`, { token: probe.token }),
        (r) => r.status === 200,
      );
      await server.request('DELETE', `/api/shows/${id}/queue`, { token: probe.token });
      return id;
    };
    const join = (id: string, who: Who, body?: unknown, wait = 5, port = server.running.port) =>
      request(port, 'POST', `/api/shows/${id}/queue`, { token: who.token, body, headers: { prefer: `wait=${wait}` } });
    const confirm = (holdId: string, who: Who) => server.request('POST', `/api/holds/${holdId}/confirm`, { token: who.token });
    const remaining = async (id: string, expected: number) =>
      (
        await eventually(
          () => server.request('GET', `/api/shows/${id}`),
          (r) => r.body?.remaining === expected,
        )
      ).body.remaining;

    it('when a member joins with { hold: { quantity: 2 } } and a place is free, then the admitted answer carries the hold, and confirming it books it', async () => {
      const id = await queued();
      const alice = await server.member();
      const joined = await join(id, alice, { hold: { quantity: 2 } });
      expect(joined.status, JSON.stringify(joined.body)).to.equal(200);
      expect(joined.body.state).to.equal('admitted');
      expect(joined.body.admissionToken).to.be.a('string');
      expect(joined.body.holdProblem).to.equal(undefined);
      expect(joined.body.hold).to.include({ showId: id, quantity: 2, total: 5000 });
      const booked = await confirm(joined.body.hold.holdId, alice);
      expect(booked.status, JSON.stringify(booked.body)).to.equal(201);
      expect(booked.body).to.include({ holdId: joined.body.hold.holdId, showId: id });
      expect(await remaining(id, 8)).to.equal(8);
    });

    it('when a join admitted at once places its hold, then its turn has gone to the next join first (one join in progress here)', async () => {
      const id = await queued();
      const [alice, bob] = [await server.member(), await server.member()];
      const place = HoldSeatsHandler.prototype.handle;
      let bobWhileAliceHeld: Reply | undefined;
      // alice's hold, on its way, waits for bob's join: were alice's turn still hers, bob's join would wait for it, and both forever
      HoldSeatsHandler.prototype.handle = async function (this: HoldSeatsHandler, ...args: Parameters<typeof place>) {
        HoldSeatsHandler.prototype.handle = place;
        bobWhileAliceHeld = await join(id, bob, undefined, 0);
        return place.apply(this, args);
      };
      try {
        const joined = await join(id, alice, { hold: { quantity: 1 } });
        expect(joined.body.hold, JSON.stringify(joined.body)).to.include({ showId: id, quantity: 1 });
        expect(bobWhileAliceHeld?.status).to.equal(200);
        expect(bobWhileAliceHeld?.body.state).to.equal('waiting');
      } finally {
        HoldSeatsHandler.prototype.handle = place;
      }
    });

    it('when the same join is sent again (its answer was lost), then it answers the same hold, and the show counts 2 held, not 4', async () => {
      const id = await queued();
      const alice = await server.member();
      const first = await join(id, alice, { hold: { quantity: 2 } });
      const again = await join(id, alice, { hold: { quantity: 2 } });
      expect(first.body.hold, JSON.stringify(first.body)).to.be.an('object');
      expect(again.body.state).to.equal('admitted');
      expect(again.body.hold.holdId).to.equal(first.body.hold.holdId);
      expect(await remaining(id, 8)).to.equal(8);
      // a third hold of 2 still fits the limit of 4: the retry did not count against it
      const more = await server.request('POST', `/api/shows/${id}/holds`, {
        token: alice.token,
        body: { quantity: 2 },
        headers: { 'Admission-Token': again.body.admissionToken },
      });
      expect(more.status, JSON.stringify(more.body)).to.equal(201);
      expect(await remaining(id, 6)).to.equal(6);
    });

    it('when the hold asked for is refused (above the member limit), then the answer admits with the problem and no hold, and a usual hold passes', async () => {
      const id = await queued();
      const alice = await server.member();
      const joined = await join(id, alice, { hold: { quantity: 5 } });
      expect(joined.status).to.equal(200);
      expect(joined.body.state).to.equal('admitted');
      expect(joined.body.hold).to.equal(undefined);
      expect(joined.body.holdProblem).to.include({ status: 409, code: 'BOOKING.LIMIT_EXCEEDED' });
      const held = await server.request('POST', `/api/shows/${id}/holds`, {
        token: alice.token,
        body: { quantity: 2 },
        headers: { 'Admission-Token': joined.body.admissionToken },
      });
      expect(held.status, JSON.stringify(held.body)).to.equal(201);
    });

    it('when the hold asked for is more than is left, then the answer admits with BOOKING.SEATS_UNAVAILABLE', async () => {
      const id = await queued(3);
      const joined = await join(id, await server.member(), { hold: { quantity: 4 } });
      expect(joined.body.state).to.equal('admitted');
      expect(joined.body.holdProblem).to.include({ status: 409, code: 'BOOKING.SEATS_UNAVAILABLE' });
    });

    for (const path of ['hot', 'Koa'] as const) {
      it(`when the hold asked for is malformed (${path}), then 400 problem+json naming it, and the member did not join`, async () => {
        const id = await queued();
        const alice = await server.member();
        const port = path === 'hot' ? server.running.port : koa.port;
        for (const body of [{ hold: { quantity: 0 } }, { hold: { seats: [] } }, { holds: { quantity: 1 } }]) {
          const refused = await join(id, alice, body, 0, port);
          expect(refused.status, JSON.stringify(body)).to.equal(400);
          expect(refused.headers.get('content-type')).to.contain('application/problem+json');
          expect(refused.body.code).to.equal('HTTP.VALIDATION');
        }
        expect((await join(id, alice, { hold: { quantity: 0 } }, 0, port)).body.detail).to.contain('hold.quantity');
        const status = await server.request('GET', `/api/shows/${id}/queue`, { token: alice.token });
        expect(status.status).to.equal(404);
        expect(status.body.code).to.equal('ADMISSION.NOT_IN_QUEUE');
      });
    }

    it('when the join goes through Koa (no hot routes), then its admitted answer carries the hold as well', async () => {
      const id = await queued();
      const joined = await join(id, await server.member(), { hold: { quantity: 1 } }, 5, koa.port);
      expect(joined.status, JSON.stringify(joined.body)).to.equal(200);
      expect(joined.body.hold).to.include({ showId: id, quantity: 1 });
    });

    it('when a long-polled join waits for the only place and its holder confirms, then it is answered admitted with its hold', async () => {
      const id = await queued();
      const [bob, alice] = [await server.member(), await server.member()];
      const bobIn = await join(id, bob, { hold: { quantity: 1 } });
      expect(bobIn.body.hold, JSON.stringify(bobIn.body)).to.be.an('object');
      const waiting = join(id, alice, { hold: { quantity: 2 } }, 10);
      // alice is behind bob, who holds the only place
      await eventually(
        () => server.request('GET', `/api/shows/${id}/queue`, { token: alice.token }),
        (r) => r.body?.state === 'waiting',
      );
      expect((await confirm(bobIn.body.hold.holdId, bob)).status).to.equal(201);
      const aliceIn = await waiting;
      expect(aliceIn.status).to.equal(200);
      expect(aliceIn.headers.get('preference-applied')).to.equal('wait=10');
      expect(aliceIn.body.state).to.equal('admitted');
      expect(aliceIn.body.hold).to.include({ showId: id, quantity: 2 });
      expect((await confirm(aliceIn.body.hold.holdId, alice)).status).to.equal(201);
      expect(await remaining(id, 7)).to.equal(7);
    });

    it('when the OpenAPI document is read, then the join documents its body and the hold and holdProblem of its answer', async () => {
      const doc = (await server.request('GET', '/api/openapi.json')).body;
      const post = doc.paths['/api/shows/{id}/queue'].post;
      expect(post.requestBody.required).to.equal(false);
      expect(JSON.stringify(post.requestBody.content['application/json'].schema)).to.contain('"hold"').and.contain('"quantity"');
      const answer = JSON.stringify(post.responses['200'].content['application/json'].schema);
      expect(answer).to.contain('"holdProblem"').and.contain('"holdId"');
      expect(doc.paths['/api/shows/{id}/holds'].post.requestBody.required).to.equal(true);
    });
  });
}

/** Asks until the answer satisfies `done` (10 s at most); the last answer. */
async function eventually(ask: () => Promise<Reply>, done: (reply: Reply) => boolean): Promise<Reply> {
  let reply = await ask();
  for (const end = Date.now() + 10_000; !done(reply) && Date.now() < end;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    reply = await ask();
  }
  return reply;
}

async function request(
  port: number,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> },
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': randomIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** The server's routes on a port of their own through Koa alone (no hot routes): the path some configurations take. */
async function koaOnly(booking: BookingServer): Promise<{ server: Server; port: number }> {
  const { container } = booking.running;
  const app = createApp({
    logger: createLogger('silent'),
    authenticator: container.resolve<Authenticator>(TOKENS.Authenticator),
    routes: apiRoutes(container),
    readiness: [],
    trustProxyHops: 1,
  });
  const server = createServer(app.callback());
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { server, port: (server.address() as { port: number }).port };
}
