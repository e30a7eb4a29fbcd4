import { expect } from 'chai';
import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import net from 'node:net';
import { ParkableResponse, parkedPolls } from '../../../src/infrastructure/http/parked-poll.js';

/** An answer per path: status, head fields, body. */
const answers: Record<string, [number, OutgoingHttpHeaders, string | undefined]> = {
  '/length': [200, { 'Content-Type': 'application/json', 'Content-Length': '11' }, '{"a":"b c"}'],
  '/chunked': [200, { 'Content-Type': 'text/plain' }, 'héllo, chunks'],
  '/unchanged': [304, { ETag: '"x"' }, undefined],
  '/refused': [404, { 'Content-Type': 'application/problem+json', 'Content-Length': '2' }, '{}'],
};

/** A server that answers each path after 50 ms, its connection parked meanwhile when the request says `x-park`. */
function server(): Promise<{ server: Server; port: number; parked: boolean[] }> {
  const parked: boolean[] = [];
  const server = createServer((request, response) => {
    const out = new ParkableResponse(request, response);
    if (request.headers['x-park']) {
      setImmediate(() => {
        out.park();
        parked.push(out.parked);
      });
    }
    const [status, headers, text] = answers[request.url!]!;
    setTimeout(() => out.writeHead(status, headers).end(text), 50);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port, parked })),
  );
}

/** What the server writes for `requests` sent one after the other on one connection (until it closes or `ms` pass). */
function exchange(port: number, requests: string[], ms = 600): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let text = '';
    let sent = 0;
    const next = () => {
      if (sent < requests.length) socket.write(requests[sent++]!);
    };
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      // the next request once this answer is whole (the spec's answers are small: one read each)
      setTimeout(next, 20);
    });
    socket.on('close', () => resolve(text));
    setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, ms);
    next();
  });
}

const request = (path: string, park: boolean, extra = '', version = '1.1') =>
  `GET ${path} HTTP/${version}\r\nhost: t\r\n${park ? 'x-park: 1\r\n' : ''}${extra}\r\n`;
const withoutDate = (text: string) => text.replace(/Date: [^\r]+\r\n/g, 'Date: -\r\n');

describe('a parkable response', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeEach(async () => (s = await server()));
  afterEach(() => s.server.close());

  for (const path of Object.keys(answers)) {
    it(`when the ${path.slice(1)} answer is written parked, then its bytes are those Node's response writes, and the connection goes on`, async () => {
      const both = (park: boolean) => exchange(s.port, [request(path, park), request('/length', false)]);
      const [parked, held] = await Promise.all([both(true), both(false)]);
      expect(withoutDate(parked)).to.equal(withoutDate(held));
      expect(parked.match(/HTTP\/1.1 /g)).to.have.length(2);
      expect(s.parked).to.deep.equal([true]);
    });
  }

  it('when the request asks the connection to close, or is HTTP/1.0, then the parked answer closes it as Node does', async () => {
    for (const [extra, version] of [
      ['connection: close\r\n', '1.1'],
      ['', '1.0'],
      ['connection: keep-alive\r\n', '1.0'],
    ] as const) {
      const [parked, held] = await Promise.all(
        [true, false].map((park) => exchange(s.port, [request('/chunked', park, extra, version), request('/length', false)])),
      );
      expect(withoutDate(parked), `${extra} HTTP/${version}`).to.equal(withoutDate(held));
    }
    expect(s.parked).to.deep.equal([true, true, true]);
  });

  it('when the client goes away while parked, then its answer goes nowhere and the connection is parked no more', async () => {
    const socket = net.connect({ port: s.port, host: '127.0.0.1' });
    socket.write(request('/length', true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(parkedPolls()).to.equal(1);
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(parkedPolls()).to.equal(0);
  });
});
