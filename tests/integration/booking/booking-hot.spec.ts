import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { Authenticator } from '../../../src/application/ports/authenticator.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { apiRoutes } from '../../../src/infrastructure/http/api-routes.js';
import { createApp } from '../../../src/infrastructure/http/app.js';
import type { ReadinessCheck } from '../../../src/infrastructure/http/readiness.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { requestsCounted } from '../../support/http-requests-counted.js';
import { BookingServer, MODES, showBody, twoSections } from './booking-server.js';

/** An answer as it came: status, head fields (less Date) and the body's bytes. */
interface Raw {
  status: number;
  head: Record<string, string>;
  text: string;
}

async function ask(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  const response = await fetch(base + path, { method, headers, body });
  const head: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date') head[name] = value;
  });
  return { status: response.status, head, text: await response.text() };
}

for (const { mode, title } of MODES) {
  describe(`holds and confirms served before Koa (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let koaOnly: Server;
    let [hot, koa] = ['', ''];
    let admin: { token: string };
    let alice: { token: string };
    let bob: { token: string };
    let show: string;

    before(async function () {
      server = await BookingServer.start(this, mode);
      const { container } = server.running;
      // the same app on a port of its own without the hot routes: every request through Koa (the reference)
      const app = createApp({
        logger: createLogger('silent'),
        authenticator: container.resolve<Authenticator>(TOKENS.Authenticator),
        routes: apiRoutes(container),
        readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
      });
      koaOnly = createServer(app.callback());
      koaOnly.keepAliveTimeout = server.running.server.keepAliveTimeout;
      await new Promise<void>((resolve) => koaOnly.listen(0, '127.0.0.1', resolve));
      hot = `http://127.0.0.1:${server.running.port}`;
      koa = `http://127.0.0.1:${(koaOnly.address() as { port: number }).port}`;
      [admin, alice, bob] = [await server.member({ admin: true }), await server.member(), await server.member()];
      const created = await server.request('POST', '/api/shows', { token: admin.token, body: showBody(twoSections) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      show = created.body.id;
    });

    after(async () => {
      koaOnly?.closeAllConnections();
      await new Promise((resolve) => koaOnly?.close(resolve));
      await server?.close();
    });

    const json = (token: string | undefined, extra: Record<string, string> = {}) => ({
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...extra,
    });

    it('when a hold and its confirm are retried with their keys on the other path, then the very same bytes and head fields come back', async () => {
      const holdKey = { 'idempotency-key': `hot-hold-${Date.now()}`, 'x-request-id': 'client-chosen-hold-01' };
      const body = JSON.stringify({ seats: ['A-1-1', 'A-1-2'] });
      const first = await ask(hot, 'POST', `/api/shows/${show}/holds`, json(alice.token, holdKey), body);
      expect(first.status, first.text).to.equal(201);
      expect(first.head['content-type']).to.equal('application/json; charset=utf-8');
      expect(first.head['cache-control']).to.equal('no-store');
      expect(first.head['x-request-id']).to.equal('client-chosen-hold-01');
      const replays = [await ask(koa, 'POST', `/api/shows/${show}/holds`, json(alice.token, holdKey), body)];
      replays.push(await ask(hot, 'POST', `/api/shows/${show}/holds`, json(alice.token, holdKey), body));
      for (const replay of replays) expect(replay).to.deep.equal(first);

      const { holdId } = JSON.parse(first.text) as { holdId: string };
      const confirmKey = { 'idempotency-key': `hot-confirm-${Date.now()}`, 'x-request-id': 'client-chosen-confirm-01' };
      const confirmed = await ask(hot, 'POST', `/api/holds/${holdId}/confirm`, json(alice.token, confirmKey));
      expect(confirmed.status, confirmed.text).to.equal(201);
      expect(JSON.parse(confirmed.text)).to.include({ holdId, total: 10000 });
      expect(await ask(koa, 'POST', `/api/holds/${holdId}/confirm`, json(alice.token, confirmKey))).to.deep.equal(confirmed);
      expect(await ask(hot, 'POST', `/api/holds/${holdId}/confirm`, json(alice.token, confirmKey))).to.deep.equal(confirmed);
    });

    it('when the body, the caller, the show or the hold is wrong, then the same 4xx problem, byte for byte', async () => {
      const held = await ask(hot, 'POST', `/api/shows/${show}/holds`, json(alice.token), JSON.stringify({ seats: ['B-1-1'] }));
      expect(held.status, held.text).to.equal(201);
      const { holdId } = JSON.parse(held.text) as { holdId: string };
      const holds = `/api/shows/${show}/holds`;
      const seats = JSON.stringify({ seats: ['A-2-1'] });
      const cases: [string, string, Record<string, string>, string | undefined, number, string][] = [
        ['bad JSON', holds, json(alice.token), '{"seats": [', 400, 'HTTP.BAD_REQUEST'],
        ['JSON that is not an object', holds, json(alice.token), '"A-2-1"', 400, 'HTTP.BAD_REQUEST'],
        ['too large', holds, json(alice.token), JSON.stringify({ seats: ['A-2-1'], pad: 'x'.repeat(17_000) }), 413, 'HTTP.BODY_TOO_LARGE'],
        ['an unknown encoding', holds, json(alice.token, { 'content-encoding': 'zstd-x' }), seats, 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE'],
        ['not JSON', holds, json(alice.token, { 'content-type': 'text/plain' }), seats, 400, 'HTTP.VALIDATION'],
        ['no body', holds, json(alice.token), undefined, 400, 'HTTP.VALIDATION'],
        ['an unknown field', holds, json(alice.token), JSON.stringify({ seats: ['A-2-1'], extra: 1 }), 400, 'HTTP.VALIDATION'],
        ['no token', holds, json(undefined), seats, 401, 'AUTH.TOKEN_MISSING'],
        ['a bad token', holds, json('not-a-token'), seats, 401, 'AUTH.TOKEN_INVALID'],
        ['a show id too long', `/api/shows/${'x'.repeat(65)}/holds`, json(alice.token), seats, 400, 'HTTP.VALIDATION'],
        ['a bad body and a show id too long', `/api/shows/${'x'.repeat(65)}/holds`, json(alice.token), '{}', 400, 'HTTP.VALIDATION'],
        ['a hold id too long', `/api/holds/${'x'.repeat(121)}/confirm`, json(alice.token), undefined, 400, 'HTTP.VALIDATION'],
        ['an unknown show', `/api/shows/${show}x/holds`, json(alice.token), seats, 404, 'CATALOG.SHOW_NOT_FOUND'],
        ['a taken seat', holds, json(bob.token), JSON.stringify({ seats: ['B-1-1'] }), 409, 'BOOKING.SEATS_UNAVAILABLE'],
        ['a key too long', holds, json(alice.token, { 'idempotency-key': 'x'.repeat(200) }), seats, 400, 'HTTP.BAD_IDEMPOTENCY_KEY'],
        ["somebody else's hold", `/api/holds/${holdId}/confirm`, json(bob.token), undefined, 404, 'BOOKING.HOLD_NOT_FOUND'],
        ['an unknown hold', `/api/holds/${holdId}x/confirm`, json(alice.token), undefined, 404, 'BOOKING.HOLD_NOT_FOUND'],
        ['a confirm with bad JSON', `/api/holds/${holdId}/confirm`, json(alice.token), '{nope', 400, 'HTTP.BAD_REQUEST'],
      ];
      for (const [what, path, headers, body, status, code] of cases) {
        const asked = { ...headers, 'x-request-id': 'client-chosen-problem-01' };
        const [fromHot, fromKoa] = [await ask(hot, 'POST', path, asked, body), await ask(koa, 'POST', path, asked, body)];
        expect(fromHot.status, `${what}: ${fromHot.text}`).to.equal(status);
        expect(JSON.parse(fromHot.text).code, what).to.equal(code);
        expect(fromHot.head['content-type'], what).to.equal('application/problem+json');
        expect(fromHot, what).to.deep.equal(fromKoa);
      }
    });

    it('when a hold is answered hot, then the HTTP metrics count it under the route, as Koa does', async () => {
      const counted = (statusClass: string) => requestsCounted(hot, '/api/shows/:id/holds', statusClass, 'POST');
      const [ok, refused] = [await counted('2xx'), await counted('4xx')];
      const body = JSON.stringify({ seats: ['B-1-2'] });
      expect((await ask(hot, 'POST', `/api/shows/${show}/holds`, json(bob.token), body)).status).to.equal(201);
      expect((await ask(hot, 'POST', `/api/shows/${show}/holds`, json(undefined), body)).status).to.equal(401);
      expect(await counted('2xx')).to.equal(ok + 1);
      expect(await counted('4xx')).to.equal(refused + 1);
    });
  });
}
