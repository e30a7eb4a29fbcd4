import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { appHostsMissing, startAppHosts, type AppHosts } from '../../../bench/app-hosts.js';

const PASSWORD = 'correct horse battery';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a member across three app hosts in network namespaces (ops/hosts/hosts.sh; MariaDB, Redis Cluster, Nginx)', function () {
  this.timeout(120_000);
  let hosts: AppHosts;

  before(async function () {
    const missing = appHostsMissing();
    if (missing) {
      if (process.env.CI === 'true') throw new Error(`app hosts need root and iproute2 under CI=true: ${missing}`);
      console.warn(`      (skipped: no app hosts in network namespaces here: ${missing})`);
      this.skip();
    }
    hosts = await startAppHosts({ buyers: 1, seats: 50, queue: { admitPerSecond: 20, maxActive: 5 } });
  });

  after(async () => {
    await hosts?.remove();
  });

  const call = async (
    host: number,
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(hosts.hostUrl(host) + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const signUp = async (host: number) => {
    const email = `hosts-${randomUUID()}@example.test`;
    expect((await call(host, 'POST', '/api/members', { body: { email, password: PASSWORD, name: 'Roaming' } })).status).to.equal(201);
    const login = await call(host, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
    expect(login.status).to.equal(200);
    return login.body.accessToken as string;
  };

  it('when Nginx is asked, then each of the three hosts answers behind it, each on its own address', async () => {
    for (const host of [1, 2, 3]) expect((await fetch(`${hosts.hostUrl(host)}/health/ready`)).status, `host ${host}`).to.equal(200);
    expect((await fetch(`${hosts.url}/health/ready`)).status).to.equal(200);
    expect(new Set([1, 2, 3].map((host) => hosts.hostUrl(host))).size).to.equal(3);
  });

  it('when a member signs in on host 1, queues on host 2 (its stream on host 3), holds on host 3 and confirms on host 1, then each step sees the last, and a retry on host 2 answers the same reservation', async () => {
    const token = await signUp(1);
    const showId = hosts.sale.showId;
    const joined = await call(2, 'POST', `/api/shows/${showId}/queue`, { token });
    expect(joined.status, JSON.stringify(joined.body)).to.equal(200);
    expect(joined.body.state).to.be.oneOf(['waiting', 'admitted']);
    // the place's stream from a third host: its first event is where the member stands
    const aborting = new AbortController();
    const stream = await fetch(`${hosts.hostUrl(3)}/api/shows/${showId}/queue/events`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: aborting.signal,
    });
    expect(stream.status).to.equal(200);
    const reader = stream.body!.getReader();
    let events = '';
    for (const until = Date.now() + 5000; !/\ndata: .*\n/.test(`\n${events}`) && Date.now() < until;) {
      events += new TextDecoder().decode((await reader.read()).value);
    }
    aborting.abort();
    expect(events).to.match(/"state":"(waiting|admitted)"/);
    let place = await call(2, 'GET', `/api/shows/${showId}/queue`, { token });
    for (const until = Date.now() + 10_000; place.body?.state !== 'admitted' && Date.now() < until;) {
      await sleep(100);
      place = await call(2, 'GET', `/api/shows/${showId}/queue`, { token });
    }
    expect(place.body.state, JSON.stringify(place.body)).to.equal('admitted');

    const seat = hosts.sale.seats[0]!;
    const hold = await call(3, 'POST', `/api/shows/${showId}/holds`, {
      token,
      body: { seats: [seat] },
      headers: { 'admission-token': place.body.admissionToken, 'idempotency-key': randomUUID() },
    });
    expect(hold.status, JSON.stringify(hold.body)).to.equal(201);

    const key = randomUUID();
    const confirmed = await call(1, 'POST', `/api/holds/${hold.body.holdId}/confirm`, { token, headers: { 'idempotency-key': key } });
    expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
    const retried = await call(2, 'POST', `/api/holds/${hold.body.holdId}/confirm`, { token, headers: { 'idempotency-key': key } });
    expect(retried.status, JSON.stringify(retried.body)).to.equal(201);
    expect(retried.body.reservationId).to.equal(confirmed.body.reservationId);

    const mine = await call(3, 'GET', '/api/members/me/reservations', { token });
    expect(mine.body.map((r: { reservationId: string }) => r.reservationId)).to.deep.equal([confirmed.body.reservationId]);
  });

  it('when the password changes on host 1, then hosts 2 and 3 refuse the older token within a second', async () => {
    const token = await signUp(1);
    for (const host of [2, 3]) expect((await call(host, 'GET', '/api/members/me', { token })).status, `host ${host} before`).to.equal(200);
    const changed = await call(1, 'PUT', '/api/members/me/password', {
      token,
      body: { currentPassword: PASSWORD, newPassword: 'another password' },
    });
    expect(changed.status).to.equal(204);
    const deadline = Date.now() + 1000;
    const refused = async (host: number) => {
      for (;;) {
        const status = (await call(host, 'GET', '/api/members/me', { token })).status;
        if (status !== 200 || Date.now() > deadline) return status;
        await sleep(50);
      }
    };
    expect(await Promise.all([refused(2), refused(3)])).to.deep.equal([401, 401]);
  });
});
