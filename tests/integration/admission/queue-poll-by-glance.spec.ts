import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { AdmissionSettings } from '../../../src/application/admission/admission-settings.js';
import type { AdmissionQueue, LeasePolicy } from '../../../src/application/ports/admission-queue.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { TEST_REDIS_URL, uniqueName } from '../../support/services.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

const PERIOD = 100;
const lease: LeasePolicy = { leaseMs: 20_000, maxSessionMs: 60_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('plain polls answered from the process that knows the member (MariaDB + Redis, HTTP)', () => {
  let server: QueueServer;
  let redis: Redis;
  /** The same queue as seen by another server process (its own connection). */
  let other: AdmissionQueue;
  let show: string;
  let statuses: number;
  const path = () => `/api/shows/${show}/queue`;

  beforeEach(async function () {
    server = await startQueueServer(this, 'mariadb', { settings: { streamPollMs: PERIOD, lease } });
    show = uniqueName('show');
    // nobody is admitted by the server's own admitter: the other process decides
    server.sales.put(show, { queue: { admitPerSecond: 0.001, maxActive: 10 } });
    redis = new Redis(TEST_REDIS_URL);
    other = new RedisAdmissionQueue(redis, server.container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings).redisPrefix);
    // count the member look-ups this process makes
    const queue = server.container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
    const status = queue.status.bind(queue);
    statuses = 0;
    queue.status = (...args) => (statuses++, status(...args));
  });
  afterEach(async () => {
    redis?.disconnect();
    await server?.close();
  });

  it('when members who joined here poll, then they are told their places without a look-up of their own', async () => {
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    await server.http.request('POST', path(), { token: b.token });
    for (let i = 0; i < 3; i++) {
      const [first, second] = await Promise.all([a, b].map((m) => server.http.request('GET', path(), { token: m.token })));
      expect(first!.body).to.include({ state: 'waiting', position: 1, ahead: 0 });
      expect(second!.body).to.include({ state: 'waiting', position: 2, ahead: 1 });
      expect(second!.body.etaSeconds).to.be.a('number');
    }
    expect(statuses).to.equal(0);
    // never stored, so never revalidated: no ETag is hashed for it
    const polled = await server.http.request('GET', path(), { token: a.token });
    expect(polled.headers.get('cache-control')).to.equal('no-store');
    expect(polled.headers.get('content-type')).to.match(/^application\/json/);
    expect(polled.headers.get('etag')).to.equal(null);
  });

  it('when another process admits the member, then a poll a period later says admitted, with a token', async () => {
    const member = await server.http.member();
    await server.http.request('POST', path(), { token: member.token });
    expect((await server.http.request('GET', path(), { token: member.token })).body).to.include({ state: 'waiting' });
    const { admitted } = await other.admit(show, Date.now(), { ...lease, admitPerSecond: 1000, maxActive: 10 });
    expect(admitted.map((m) => m.memberId)).to.deep.equal([member.id]);
    await sleep(PERIOD);
    const polled = await server.http.request('GET', path(), { token: member.token });
    expect(polled.body).to.include({ state: 'admitted' });
    expect(polled.body.admissionToken).to.be.a('string');
  });

  it('when the member leaves through another process, then a poll a period later is 404 NOT_IN_QUEUE', async () => {
    const member = await server.http.member();
    await server.http.request('POST', path(), { token: member.token });
    expect((await server.http.request('GET', path(), { token: member.token })).status).to.equal(200);
    expect(await other.leave(show, member.id)).to.equal(true);
    await sleep(PERIOD);
    const polled = await server.http.request('GET', path(), { token: member.token });
    expect(polled.status).to.equal(404);
    expect(polled.body.code).to.equal('ADMISSION.NOT_IN_QUEUE');
  });

  it('when a member who joined through another process polls here, then the queue answers once, the glance after', async () => {
    const [a, b] = [await server.http.member(), await server.http.member()];
    await other.join(show, a.id, Date.now(), 0, lease);
    await other.join(show, b.id, Date.now(), 0, lease);
    const first = await server.http.request('GET', path(), { token: b.token });
    const second = await server.http.request('GET', path(), { token: b.token });
    expect(first.body).to.include({ state: 'waiting', ahead: 1 });
    expect(second.body).to.include({ state: 'waiting', ahead: 1 });
    expect(statuses).to.equal(1);
  });
});
