import { expect } from 'chai';
import { YieldingTurns } from '../../../src/infrastructure/http/yielding-turns.js';
import { requestsCounted } from '../../support/http-requests-counted.js';
import { uniqueName } from '../../support/services.js';
import { expectSameProblem, head, place } from './hot-answers.js';
import { RawConnection } from './raw-connection.js';
import { startQueueServer, type QueueServer, type Reply } from './queue-server.js';

/** The turns of the joins, counting those taken. */
class CountedTurns extends YieldingTurns {
  taken = 0;
  override turn(): Promise<() => void> {
    this.taken++;
    return super.turn();
  }
}

describe('the queue join served before Koa (MariaDB + Redis)', () => {
  let server: QueueServer;
  let show: string;
  const path = (id = show) => `/api/shows/${id}/queue`;
  afterEach(async () => server?.close());

  describe('against the same app through Koa', () => {
    let turns: CountedTurns;
    beforeEach(async function () {
      turns = new CountedTurns(4);
      server = await startQueueServer(this, 'mariadb', { turns, settings: { joinLimitPerMember: { limit: 4, windowSeconds: 60 } } });
      show = uniqueName('show');
      server.sales.put(show, { queue: { admitPerSecond: 0.001, maxActive: 1 } });
    });

    it('when a member joins, plainly or with Prefer: wait, then status, head fields and place are the same, and the join took its turn', async () => {
      const first = await server.http.member();
      await server.http.request('POST', path(), { token: first.token });
      for (const prefer of [undefined, 'wait=1', 'respond-async, wait=1']) {
        // a member of their own each time: the member's join limit (4 a minute here) is not what this is about
        const member = await server.http.member();
        const headers: Record<string, string> = { 'x-request-id': 'client-chosen-0004', ...(prefer ? { prefer } : {}) };
        const taken = turns.taken;
        const hot = await server.http.request('POST', `${path()}?ignored=1`, { token: member.token, headers });
        expect(turns.taken, 'the hot join waited its turn').to.equal(taken + 1);
        const koa = await server.koaOnly.request('POST', `${path()}?ignored=1`, { token: member.token, headers });
        expect(hot.status, String(prefer)).to.equal(200);
        expect(head(hot, false), String(prefer)).to.deep.equal(head(koa, false));
        expect(place(hot.body)).to.deep.equal(place(koa.body));
        expect(hot.body.state).to.equal('waiting');
      }
      expect(turns.running, 'every turn given back').to.equal(0);
    });

    it('when the id, the caller, the show or the rate is wrong, then the same 4xx problem, byte for byte', async () => {
      const member = await server.http.member();
      const disabled = uniqueName('plain');
      server.sales.put(disabled, { queue: { enabled: false } });
      const cases: [string, string | undefined, number, string][] = [
        ['/api/shows/bad%7Bid%7D/queue', member.token, 400, 'HTTP.VALIDATION'],
        [path('x'.repeat(65)), member.token, 400, 'HTTP.VALIDATION'],
        [path(), undefined, 401, 'AUTH.TOKEN_MISSING'],
        [path(), 'not-a-token', 401, 'AUTH.TOKEN_INVALID'],
        [path(uniqueName('nope')), member.token, 404, 'ADMISSION.SHOW_NOT_FOUND'],
        [path(disabled), member.token, 409, 'ADMISSION.QUEUE_DISABLED'],
      ];
      for (const [target, token, status, code] of cases) {
        for (const requestId of ['client-chosen-0005', 'no good']) {
          const headers = { 'x-request-id': requestId, prefer: 'wait=5' };
          const hot = await server.http.request('POST', target, { token, headers });
          const koa = await server.koaOnly.request('POST', target, { token, headers });
          expect(hot.status, target).to.equal(status);
          expect(hot.body.code, target).to.equal(code);
          expect(hot.headers.get('content-type')).to.equal('application/problem+json');
          expectSameProblem(hot, koa, target, requestId);
        }
      }
    });

    it('when a member joins too often, then both answer 429 ADMISSION.TOO_MANY_JOINS with Retry-After', async () => {
      const member = await server.http.member();
      const ip = '203.0.113.77';
      for (let i = 0; i < 4; i++) expect((await server.http.request('POST', path(), { token: member.token, ip })).status).to.equal(200);
      const hot = await server.http.request('POST', path(), { token: member.token, ip, headers: { 'x-request-id': 'client-chosen-0006' } });
      const koa = await server.koaOnly.request('POST', path(), {
        token: member.token,
        ip,
        headers: { 'x-request-id': 'client-chosen-0006' },
      });
      expect(hot.status).to.equal(429);
      expect(hot.body.code).to.equal('ADMISSION.TOO_MANY_JOINS');
      expect(Number(hot.headers.get('retry-after'))).to.be.within(1, 60);
      const lessRetry = (reply: Reply) => ({ ...head(reply, true), 'retry-after': undefined });
      expect(lessRetry(hot)).to.deep.equal(lessRetry(koa));
      expect(hot.body).to.deep.equal(koa.body);
    });

    it('when a join comes with a body, then it is read by the Koa body parser on either path: a JSON body is ignored, a broken one refused before any turn', async () => {
      const member = await server.http.member();
      const taken = turns.taken;
      const withBody = await server.http.request('POST', path(), { token: member.token, body: {} });
      expect(withBody.status).to.equal(200);
      expect(withBody.body.state).to.equal('waiting');
      const refusals: unknown[] = [];
      for (const client of [server.http, server.koaOnly]) {
        const connection = await RawConnection.open(Number(new URL(client.base).port));
        try {
          const start = `POST ${path()} HTTP/1.1\r\nhost: onsale.test\r\nauthorization: Bearer ${member.token}\r\ncontent-type: application/json\r\n`;
          connection.socket.write(`${start}content-length: 5\r\n\r\n{nope`);
          const reply = await connection.reply();
          expect(reply.status, client.base).to.equal(400);
          refusals.push({ ...JSON.parse(reply.body), requestId: undefined });
        } finally {
          connection.destroy();
        }
      }
      expect(refusals[0]).to.deep.include({ status: 400, code: 'HTTP.BAD_REQUEST' });
      expect(refusals[0]).to.deep.equal(refusals[1]);
      // the JSON body's join took its turn; the broken ones were refused by the parser first, on either path
      expect(turns.taken).to.equal(taken + 1);
    });

    it('when joins are answered hot, then the HTTP metrics count them under the route, as Koa does', async () => {
      const member = await server.http.member();
      const counted = (statusClass: string) => requestsCounted(server.http.base, '/api/shows/:id/queue', statusClass, 'POST');
      const [ok, refused] = [await counted('2xx'), await counted('4xx')];
      expect((await server.http.request('POST', path(), { token: member.token, headers: { prefer: 'wait=1' } })).status).to.equal(200);
      expect((await server.http.request('POST', path(), { token: member.token })).status).to.equal(200);
      expect((await server.http.request('POST', path())).status).to.equal(401);
      expect(await counted('2xx')).to.equal(ok + 2);
      expect(await counted('4xx')).to.equal(refused + 1);
    });
  });
});
