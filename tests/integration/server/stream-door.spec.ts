import { expect } from 'chai';
import net from 'node:net';
import { BookingServer, MODES, showBody, twoSections } from '../booking/booking-server.js';

/** One HTTP/1.1 exchange on a raw socket: what came back within `ms` (or until the server closed). */
function exchange(port: number, request: string, ms: number, until?: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (until?.(text)) done();
    });
    socket.on('end', done).on('error', reject);
    socket.write(request);
  });
}

const eventsRequest = (showId: string, token: string) =>
  `GET /api/shows/${showId}/queue/events HTTP/1.1\r\nHost: onsale.test\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n` +
  `X-Request-Id: 5f0c2b9e8a7d4c3b2a1f0e9d8c7b6a59\r\n\r\n`;

for (const { mode, title } of MODES) {
  describe(`the stream door: waiting members' event streams on the bare socket (${title})`, function () {
    this.timeout(60_000);
    let server: BookingServer;
    let admin: { id: string; token: string };
    let showId: string;

    before(async function () {
      server = await BookingServer.start(this, mode);
      admin = await server.member({ admin: true });
      const created = await server.request('POST', '/api/shows', {
        token: admin.token,
        body: showBody(twoSections, { queue: { enabled: true, admitPerSecond: 1, maxActive: 1 } }),
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      showId = created.body.id;
    });

    after(async () => server?.close());

    const join = async () => {
      const member = await server.member();
      const joined = await server.request('POST', `/api/shows/${showId}/queue`, { token: member.token });
      expect(joined.status, JSON.stringify(joined.body)).to.equal(200);
      return member;
    };

    it('when a waiting member opens their event stream, then the door answers it on the bare socket: one head, then events until admitted', async () => {
      const first = await join(); // admitted at once: it holds the one place
      const member = await join();
      const socket = net.connect({ port: server.running.port, host: '127.0.0.1' });
      let text = '';
      const heard = (what: string) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${what} in ${JSON.stringify(text)}`)), 15_000);
          const check = () => text.includes(what) && (clearTimeout(timer), socket.off('data', check), resolve());
          socket.on('data', check);
          check();
        });
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      try {
        socket.write(eventsRequest(showId, member.token));
        await heard('event: position');
        const [head, body] = text.split('\r\n\r\n');
        expect(head).to.match(/^HTTP\/1\.1 200 OK\r\n/);
        expect(head).to.match(/\r\ncontent-type: text\/event-stream; charset=utf-8/i);
        expect(head, 'the connection carries this stream only').to.match(/\r\nconnection: close/i);
        expect(head, 'chunked as Node would').to.match(/\r\ntransfer-encoding: chunked/i);
        expect(head, 'not Node’s HTTP server (it always sends a Date)').to.not.match(/\r\ndate:/i);
        expect(head, 'the proxy’s request id, as Koa keeps it').to.match(/\r\nx-request-id: 5f0c2b9e8a7d4c3b2a1f0e9d8c7b6a59(\r\n|$)/i);
        expect(body).to.match(/^d\r\nretry: 5000\n\n\r\n[0-9a-f]+\r\nevent: position\ndata: \{"state":"waiting"/);
        // the admitted member leaves: the place is the waiting member's, told on the same stream
        expect((await server.request('DELETE', `/api/shows/${showId}/queue`, { token: first.token })).status).to.equal(204);
        await heard('event: admitted');
        expect(text).to.match(/event: admitted\ndata: \{"state":"admitted".*"admissionToken":"[^"]+"/);
      } finally {
        socket.destroy();
      }
    });

    it('when the token is bad, the member not in the queue or the show unknown, then the HTTP server answers as before (problem+json)', async () => {
      const port = server.running.port;
      const bad = await exchange(port, eventsRequest(showId, 'not-a-token'), 5000, (t) => t.includes('}'));
      expect(bad).to.match(/^HTTP\/1\.1 401 /);
      expect(bad).to.match(/content-type: application\/problem\+json/i);
      const stranger = await server.member();
      const absent = await exchange(port, eventsRequest(showId, stranger.token), 5000, (t) => t.includes('}'));
      expect(absent).to.match(/^HTTP\/1\.1 404 /);
      expect(absent).to.contain('"code":"ADMISSION.NOT_IN_QUEUE"');
      const unknown = await exchange(port, eventsRequest('no-such-show', stranger.token), 5000, (t) => t.includes('}'));
      expect(unknown).to.match(/^HTTP\/1\.1 404 /);
    });

    it('when other requests come, also two on one kept-alive connection, then the HTTP server answers them', async () => {
      const two =
        'GET /health/live HTTP/1.1\r\nHost: onsale.test\r\n\r\n' +
        `GET /api/shows/${showId} HTTP/1.1\r\nHost: onsale.test\r\nConnection: close\r\n\r\n`;
      const text = await exchange(server.running.port, two, 5000);
      expect(text.match(/HTTP\/1\.1 200 OK/g)).to.have.length(2);
      expect(text).to.contain(`"id":"${showId}"`);
      // and a body sent in pieces, after the head
      const body = JSON.stringify({ email: 'nobody@onsale.test', password: 'wrong password here' });
      const login = await exchange(
        server.running.port,
        `POST /api/auth/login HTTP/1.1\r\nHost: onsale.test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        5000,
      );
      expect(login).to.match(/^HTTP\/1\.1 401 /);
    });
  });
}

describe('the stream door switched off (STREAM_DOOR=off)', function () {
  this.timeout(60_000);
  let server: BookingServer;
  after(async () => server?.close());

  it('when a waiting member opens their event stream, then Koa answers it, chunked', async function () {
    server = await BookingServer.start(this, 'embedded', { STREAM_DOOR: 'off' });
    const admin = await server.member({ admin: true });
    const created = await server.request('POST', '/api/shows', {
      token: admin.token,
      body: showBody(twoSections, { queue: { enabled: true, admitPerSecond: 1, maxActive: 1 } }),
    });
    const showId = created.body.id as string;
    const first = await server.member();
    await server.request('POST', `/api/shows/${showId}/queue`, { token: first.token });
    const member = await server.member();
    await server.request('POST', `/api/shows/${showId}/queue`, { token: member.token });
    const text = await exchange(server.running.port, eventsRequest(showId, member.token), 8000, (t) => t.includes('event: position'));
    expect(text).to.match(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).to.match(/\r\ntransfer-encoding: chunked/i);
    expect(text, 'Node’s HTTP server').to.match(/\r\ndate: /i);
    expect(text).to.contain('event: position');
  });
});
