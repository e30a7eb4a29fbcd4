import { expect } from 'chai';
import type { QueueWatch } from '../../../src/application/admission/queue-watch.js';
import { TOKENS } from '../../../src/application/tokens.js';
import type { Lifecycle } from '../../../src/infrastructure/lifecycle.js';
import { requestsCounted } from '../../support/http-requests-counted.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';
import { uniqueName } from '../../support/services.js';
import { RawConnection } from './raw-connection.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

const UPGRADE = { connection: 'Upgrade', upgrade: 'onsale-events' };

describe('the waiting room’s event stream on an upgraded connection (MariaDB + Redis)', () => {
  let server: QueueServer;
  let show: string;
  const connections: RawConnection[] = [];
  const path = () => `/api/shows/${show}/queue`;
  const connect = async () => {
    const connection = await RawConnection.open(server.port);
    connections.push(connection);
    return connection;
  };

  /** Event streams answered 2xx, in the HTTP metrics (counted as the Koa route counts them). */
  const streamsCounted = () => requestsCounted(server.http.base, '/api/shows/:id/queue/events', '2xx');

  beforeEach(async function () {
    server = await startQueueServer(this, 'mariadb');
    show = uniqueName('show');
  });
  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.destroy();
    await server?.close();
  });

  it('when a member joins and then asks for the stream with Upgrade on the same connection, then position and admitted come on it, counted in the HTTP metrics', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 2 } });
    const a = await server.http.member();
    const countedBefore = await streamsCounted();
    const connection = await connect();
    connection.send('POST', path(), { authorization: `Bearer ${a.token}` });
    const joined = await connection.reply();
    expect(joined.status).to.equal(200);
    expect(joined.headers.get('connection')).to.not.equal('close');
    connection.send('GET', `${path()}/events`, { authorization: `Bearer ${a.token}`, 'x-request-id': 'client-chosen-0001', ...UPGRADE });
    const head = await connection.reply();
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-type')).to.equal('text/event-stream; charset=utf-8');
    expect(head.headers.get('connection')).to.equal('close');
    expect(head.headers.get('x-accel-buffering')).to.equal('no');
    expect(head.headers.get('x-request-id')).to.equal('client-chosen-0001');
    const text = await connection.stream((t) => t.includes('event: admitted'));
    expect(await streamsCounted()).to.equal(countedBefore + 1);
    expect(text).to.match(/^retry: 5000\n\nevent: position\ndata: \{"state":"waiting"/);
    expect(text.indexOf('event: admitted')).to.be.greaterThan(text.indexOf('event: position'));
    expect(text).to.match(/"admissionToken":"[^"]+"/);
  });

  it('when the token is bad or the show unknown, then the same problem as without Upgrade, and the connection closes', async () => {
    server.sales.put(show);
    const a = await server.http.member();
    await server.http.request('POST', path(), { token: a.token });
    const cases = [
      [`${path()}/events`, { authorization: 'Bearer not-a-token' }, 401],
      [`${path()}/events`, {}, 401],
      [`/api/shows/${uniqueName('nope')}/queue/events`, { authorization: `Bearer ${a.token}` }, 404],
      ['/api/shows/bad%7Bid%7D/queue/events', { authorization: `Bearer ${a.token}` }, 400],
    ] as const;
    for (const [target, headers, status] of cases) {
      const plain = await server.http.request('GET', target, { headers: { ...headers } });
      const connection = await connect();
      connection.send('GET', target, { ...headers, ...UPGRADE });
      const upgraded = await connection.reply();
      expect(upgraded.status, target).to.equal(status);
      expect(plain.status).to.equal(status);
      expect(upgraded.headers.get('content-type')).to.equal(plain.headers.get('content-type'));
      const body = JSON.parse(upgraded.body);
      expect(body.requestId).to.equal(upgraded.headers.get('x-request-id'));
      expect({ ...body, requestId: undefined }).to.deep.equal({ ...plain.body, requestId: undefined });
      await connection.whenClosed();
    }
  });

  it('when the client closes the upgraded stream, then the process stops following the member', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    await server.http.request('POST', path(), { token: b.token });
    const watch = server.container.resolve<QueueWatch>(TOKENS.QueueWatch);
    const before = watch.following;
    const connection = await connect();
    connection.send('GET', `${path()}/events`, { authorization: `Bearer ${b.token}`, ...UPGRADE });
    expect((await connection.reply()).status).to.equal(200);
    await connection.stream((t) => t.includes('event: position'));
    expect(watch.following).to.equal(before + 1);
    connection.destroy();
    const end = Date.now() + 5000;
    while (watch.following > before && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(watch.following).to.equal(before);
  });

  it('when the server drains for shutdown, then the upgraded stream ends and its connection closes', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    await server.http.request('POST', path(), { token: b.token });
    const connection = await connect();
    connection.send('GET', `${path()}/events`, { authorization: `Bearer ${b.token}`, ...UPGRADE });
    expect((await connection.reply()).status).to.equal(200);
    await connection.stream((t) => t.includes('event: position'));
    server.container.resolve<Lifecycle>(TOKENS.Lifecycle).drain();
    await connection.whenClosed();
    expect(connection.closed).to.equal(true);
  });

  it('when Upgrade: onsale-events asks for anything but an event stream, then 400 HTTP.UPGRADE_REFUSED and the connection closes; other tokens are answered as usual', async () => {
    server.sales.put(show);
    const a = await server.http.member();
    for (const [method, target] of [
      ['GET', path()],
      ['POST', path()],
      ['POST', `${path()}/events`],
    ] as const) {
      const connection = await connect();
      connection.send(method, target, { authorization: `Bearer ${a.token}`, ...UPGRADE });
      const refused = await connection.reply();
      expect(refused.status, `${method} ${target}`).to.equal(400);
      expect(refused.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(JSON.parse(refused.body).code).to.equal('HTTP.UPGRADE_REFUSED');
      await connection.whenClosed();
    }
    const websocket = await connect();
    websocket.send('POST', path(), { authorization: `Bearer ${a.token}`, connection: 'Upgrade', upgrade: 'websocket' });
    const joined = await websocket.reply();
    expect(joined.status).to.equal(200);
    expect(JSON.parse(joined.body).state).to.equal('waiting');
  });
});

describe('the upgraded event stream when Redis goes away', () => {
  let redis: PrivateRedis | undefined;
  let server: QueueServer | undefined;
  afterEach(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('when the queue store is down, then 503 ADMISSION.UNAVAILABLE with Retry-After, as without Upgrade', async function () {
    this.timeout(60_000);
    redis = await startPrivateRedis(this);
    server = await startQueueServer(this, 'mariadb', { env: { REDIS_URL: redis.url } });
    const show = uniqueName('show');
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const member = await server.http.member();
    const events = `/api/shows/${show}/queue/events`;
    expect((await server.http.request('POST', `/api/shows/${show}/queue`, { token: member.token })).status).to.equal(200);
    await redis.stop();
    const plain = await server.http.request('GET', events, { token: member.token });
    const connection = await RawConnection.open(server.port);
    connection.send('GET', events, { authorization: `Bearer ${member.token}`, ...UPGRADE });
    const upgraded = await connection.reply();
    await connection.whenClosed();
    expect(plain.status).to.equal(503);
    expect(upgraded.status).to.equal(503);
    expect(upgraded.headers.get('retry-after')).to.equal(plain.headers.get('retry-after'));
    expect(JSON.parse(upgraded.body).code).to.equal(plain.body.code);
  });
});
