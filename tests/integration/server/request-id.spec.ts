import { expect } from 'chai';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { memberStreamId } from '../../../src/application/members/member-stream.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../support/embedded-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids (X-Request-Id)', function () {
  this.timeout(30_000);
  let server: EmbeddedServer;

  before(async () => {
    server = await startEmbeddedServer('debug');
  });
  after(async () => {
    await server?.close();
  });

  it('when a request comes without an id, then a fresh UUID is made and echoed in X-Request-Id', async () => {
    const first = await fetch(`${server.base}/health/live`);
    const second = await fetch(`${server.base}/health/live`);
    expect(first.headers.get('x-request-id')).to.match(UUID);
    expect(second.headers.get('x-request-id')).to.match(UUID);
    expect(first.headers.get('x-request-id')).not.to.equal(second.headers.get('x-request-id'));
  });

  it("when a well-formed id comes in (Nginx's 32 hex digits), then it is kept and echoed", async () => {
    const id = 'a3f1c2d4e5b60718293a4b5c6d7e8f90';
    const response = await fetch(`${server.base}/health/live`, { headers: { 'x-request-id': id } });
    expect(response.headers.get('x-request-id')).to.equal(id);
  });

  it('when a malformed id comes in (spaces, quotes, too long, too short), then it is replaced by a fresh one', async () => {
    for (const bad of ['has spaces in it', 'quote"inside-it', 'x'.repeat(200), 'short']) {
      const response = await fetch(`${server.base}/health/live`, { headers: { 'x-request-id': bad } });
      expect(response.headers.get('x-request-id'), bad).to.match(UUID);
    }
  });

  it('when a request fails, then its problem+json body names the same request id as the header', async () => {
    const id = 'req-problem-0001';
    const response = await fetch(`${server.base}/api/no-such-thing`, { headers: { 'x-request-id': id } });
    const body = (await response.json()) as { code: string; requestId: string };
    expect(response.status).to.equal(404);
    expect(response.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(body.requestId).to.equal(id);
    expect(response.headers.get('x-request-id')).to.equal(id);
  });

  it('when a request does work that logs, then its lines carry its id and a line outside any request carries none', async () => {
    const id = 'req-signup-0001';
    const response = await fetch(`${server.base}/api/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ email: `${id}@example.org`, password: 'correct horse battery', name: 'Request Id' }),
    });
    expect(response.status).to.equal(201);
    const lines = server.logs().filter((line) => line.requestId === id);
    expect(lines.map((line) => line.msg)).to.include('request answered');
    expect(lines.find((line) => line.msg === 'request answered')).to.include({ route: '/api/members', status: 201 });
    // a line logged outside any request (start-up) carries none
    expect(server.logs().find((line) => line.msg === 'onsale listening')).not.to.have.property('requestId');
  });

  it('when a request appends events, then each carries the request id as its correlation id', async () => {
    const id = 'req-events-0001';
    const response = await fetch(`${server.base}/api/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ email: `${id}@example.org`, password: 'correct horse battery', name: 'Correlated' }),
    });
    const { id: memberId } = (await response.json()) as { id: string };
    const store = server.running.container.resolve<EventStore>(TOKENS.EventStore);
    const events = await store.readStream(memberStreamId(memberId));
    expect(events).to.have.length.greaterThan(0);
    expect(events.map((event) => event.metadata.correlationId)).to.deep.equal(events.map(() => id));
  });
});
