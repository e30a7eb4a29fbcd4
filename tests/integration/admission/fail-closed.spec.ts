import { expect } from 'chai';
import type { AdmissionGate } from '../../../src/application/ports/admission-gate.js';
import type { AdmissionTokens } from '../../../src/application/ports/admission-tokens.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { admissionClaims } from '../../../src/domain/admission/admission-token.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';
import { uniqueName } from '../../support/services.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

describe('the waiting room when Redis goes away', () => {
  let redis: PrivateRedis | undefined;
  let server: QueueServer | undefined;

  afterEach(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('when Redis is unreachable, then joins and holds answer 503 with Retry-After, reads still work, and it recovers without a restart', async function () {
    this.timeout(60_000);
    redis = await startPrivateRedis(this);
    const { port } = redis;
    server = await startQueueServer(this, 'mariadb', { env: { REDIS_URL: redis.url } });
    const show = uniqueName('show');
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const member = await server.http.member();
    const path = `/api/shows/${show}/queue`;
    expect((await server.http.request('POST', path, { token: member.token })).status).to.equal(200);

    await redis.stop();
    const join = await server.http.request('POST', path, { token: member.token });
    expect(join.status).to.equal(503);
    expect(join.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(Number(join.headers.get('retry-after'))).to.be.greaterThan(0);
    const poll = await server.http.request('GET', path, { token: member.token });
    expect(poll.status).to.equal(503);
    const tokens = server.container.resolve<AdmissionTokens>(TOKENS.AdmissionTokens);
    const token = tokens.sign(admissionClaims(member.id, show, Date.now(), 60));
    const gate = server.container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
    const hold = await gate.verify(show, member.id, token).then(
      () => undefined,
      (error: { kind?: string; retryAfterSeconds?: number }) => error,
    );
    expect(hold).to.include({ kind: 'unavailable' });
    expect(hold?.retryAfterSeconds).to.be.greaterThan(0);
    const read = await server.http.request('GET', '/api/members/me', { token: member.token });
    expect(read.status).to.equal(200);
    const shows = await server.http.request('GET', '/api/shows');
    expect(shows.status, JSON.stringify(shows.body)).to.equal(200);

    redis = await startPrivateRedis(this, port);
    const end = Date.now() + 15_000;
    let again = await server.http.request('POST', path, { token: member.token });
    while (again.status !== 200 && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      again = await server.http.request('POST', path, { token: member.token });
    }
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ state: 'waiting', position: 1 });
  });
});
