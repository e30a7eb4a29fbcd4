import { expect } from 'chai';
import type { QueueWatch } from '../../../src/application/admission/queue-watch.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { requestsCounted } from '../../support/http-requests-counted.js';
import { capturingLogger } from '../../support/log-capture.js';
import { uniqueName } from '../../support/services.js';
import { expectSameProblem, head, place } from './hot-answers.js';
import { RawConnection } from './raw-connection.js';
import { startQueueServer, type QueueClient, type QueueServer } from './queue-server.js';

/** GET /api/shows/:id/queue answers of `statusClass` in the HTTP metrics. */
const counted = (client: QueueClient, statusClass: string) => requestsCounted(client.base, '/api/shows/:id/queue', statusClass, 'GET');

describe('the queue poll served before Koa (MariaDB + Redis)', () => {
  let server: QueueServer;
  let show: string;
  const path = (id = show) => `/api/shows/${id}/queue`;
  afterEach(async () => server?.close());

  describe('against the same app through Koa', () => {
    beforeEach(async function () {
      server = await startQueueServer(this, 'mariadb');
      show = uniqueName('show');
      server.sales.put(show, { queue: { admitPerSecond: 0.001, maxActive: 1 } });
    });

    it('when a waiting member polls, plainly or with Prefer: wait, then status, head fields and place are the same', async () => {
      const [first, member] = [await server.http.member(), await server.http.member()];
      await server.http.request('POST', path(), { token: first.token });
      await server.http.request('POST', path(), { token: member.token });
      for (const prefer of [undefined, 'wait=1', 'wait=soon', 'respond-async, wait=1']) {
        const headers: Record<string, string> = { 'x-request-id': 'client-chosen-0002', ...(prefer ? { prefer } : {}) };
        const [hot, koa] = await Promise.all([
          server.http.request('GET', `${path()}?ignored=1`, { token: member.token, headers }),
          server.koaOnly.request('GET', `${path()}?ignored=1`, { token: member.token, headers }),
        ]);
        expect(hot.status, String(prefer)).to.equal(200);
        expect(head(hot, false), String(prefer)).to.deep.equal(head(koa, false));
        expect(place(hot.body)).to.deep.equal(place(koa.body));
        expect(hot.body.state).to.equal('waiting');
      }
      const waited = await server.http.request('GET', path(), { token: member.token, headers: { prefer: 'wait=1' } });
      expect(waited.headers.get('preference-applied')).to.equal('wait=1');
      expect(waited.headers.get('cache-control')).to.equal('no-store');
      expect(waited.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    });

    it('when the id, the caller or the place is wrong, then the same 4xx problem, byte for byte', async () => {
      const [joined, stranger] = [await server.http.member(), await server.http.member()];
      await server.http.request('POST', path(), { token: joined.token });
      const cases: [string, string | undefined, number, string][] = [
        ['/api/shows/bad%7Bid%7D/queue', joined.token, 400, 'HTTP.VALIDATION'],
        [path('x'.repeat(65)), joined.token, 400, 'HTTP.VALIDATION'],
        [path(), undefined, 401, 'AUTH.TOKEN_MISSING'],
        [path(), 'not-a-token', 401, 'AUTH.TOKEN_INVALID'],
        [path(), stranger.token, 404, 'ADMISSION.NOT_IN_QUEUE'],
        [path(uniqueName('nope')), joined.token, 404, 'ADMISSION.SHOW_NOT_FOUND'],
      ];
      for (const [target, token, status, code] of cases) {
        for (const requestId of ['client-chosen-0003', 'no good']) {
          const headers = { 'x-request-id': requestId, prefer: 'wait=5' };
          const [hot, koa] = await Promise.all([
            server.http.request('GET', target, { token, headers }),
            server.koaOnly.request('GET', target, { token, headers }),
          ]);
          expect(hot.status, target).to.equal(status);
          expect(hot.body.code, target).to.equal(code);
          expect(hot.headers.get('content-type')).to.equal('application/problem+json');
          expectSameProblem(hot, koa, target, requestId);
        }
      }
    });

    it('when a poll comes with a body, then it is ignored, as Koa ignores a GET body', async () => {
      const member = await server.http.member();
      await server.http.request('POST', path(), { token: member.token });
      for (const client of [server.http, server.koaOnly]) {
        const connection = await RawConnection.open(Number(new URL(client.base).port));
        try {
          const head = `GET ${path()} HTTP/1.1\r\nhost: onsale.test\r\nauthorization: Bearer ${member.token}\r\ncontent-type: application/json\r\n`;
          connection.socket.write(`${head}content-length: 5\r\n\r\n{nope${head}content-length: 0\r\n\r\n`);
          for (const reply of [await connection.reply(), await connection.reply()]) {
            expect(reply.status, client.base).to.equal(200);
            expect(JSON.parse(reply.body).state).to.equal('waiting');
          }
        } finally {
          connection.destroy();
        }
      }
    });

    it('when a long poll is answered hot, then the HTTP metrics count it under the route, as Koa does', async () => {
      const member = await server.http.member();
      await server.http.request('POST', path(), { token: member.token });
      const [ok, refused] = [await counted(server.http, '2xx'), await counted(server.http, '4xx')];
      expect((await server.http.request('GET', path(), { token: member.token, headers: { prefer: 'wait=1' } })).status).to.equal(200);
      expect((await server.http.request('GET', path(), { token: member.token })).status).to.equal(200);
      expect((await server.http.request('GET', path())).status).to.equal(401);
      expect(await counted(server.http, '2xx')).to.equal(ok + 2);
      expect(await counted(server.http, '4xx')).to.equal(refused + 1);
    });

    it('when the client goes away during a long poll, then the process lets the poll go', async () => {
      const [first, member] = [await server.http.member(), await server.http.member()];
      await server.http.request('POST', path(), { token: first.token });
      await server.http.request('POST', path(), { token: member.token });
      const watch = server.container.resolve<QueueWatch>(TOKENS.QueueWatch);
      const before = watch.holding;
      const connection = await RawConnection.open(server.port);
      connection.send('GET', path(), { authorization: `Bearer ${member.token}`, prefer: 'wait=30' });
      const held = Date.now() + 5000;
      while (watch.holding === before && Date.now() < held) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(watch.holding).to.equal(before + 1);
      connection.destroy();
      const end = Date.now() + 5000;
      while (watch.holding > before && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(watch.holding).to.equal(before);
    });
  });

  it('when a poll is answered hot at LOG_LEVEL=debug, then the access log has its line, with the route and status', async function () {
    const { logger, lines } = capturingLogger('debug');
    server = await startQueueServer(this, 'mariadb', { logger });
    show = uniqueName('show');
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const member = await server.http.member();
    await server.http.request('POST', path(), { token: member.token });
    await server.http.request('GET', path(), { token: member.token });
    await server.http.request('GET', path('bad{id}'), { token: member.token });
    const answered = lines().filter((l) => l.msg === 'request answered' && l.method === 'GET' && l.route === '/api/shows/:id/queue');
    expect(answered.map((l) => l.status)).to.deep.equal([200, 400]);
  });
});
