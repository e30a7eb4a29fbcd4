import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadClient } from '../../../bench/load/http-client.js';
import { LoadStats } from '../../../bench/load/stats.js';

/** A server that answers by path, and counts the connections it was given. */
async function answering(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (text: string) => (body += text));
    req.on('end', () => {
      if (req.url === '/silent') return; // answers nothing
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"parts":');
        res.end('["오늘","공연"]}');
        return;
      }
      if (req.url === '/close') {
        res.writeHead(409, { 'content-type': 'application/problem+json', connection: 'close' });
        res.end('{"code":"HOLD.CONFLICT"}');
        return;
      }
      const echo = { method: req.method, type: req.headers['content-type'] ?? null, auth: req.headers.authorization, body };
      res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify(echo));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('load harness: requests over raw sockets (--client raw)', () => {
  it('when requests go one after another, then each answer is read whole (length or chunks, utf-8) on one kept-alive connection', async () => {
    const server = await answering();
    const stats = new LoadStats();
    const client = new LoadClient(server.url, stats, 1, { raw: true });
    try {
      const posted = await client.request('hold', 'POST', '/holds', { token: 't1', body: { quantity: 2, note: 'é' } });
      expect(posted.status).to.equal(201);
      expect(posted.headers['retry-after']).to.equal('2');
      expect(posted.body).to.deep.equal({ method: 'POST', type: 'application/json', auth: 'Bearer t1', body: '{"quantity":2,"note":"é"}' });
      const chunked = await client.request('poll', 'GET', '/chunked');
      expect(chunked.body).to.deep.equal({ parts: ['오늘', '공연'] });
      const bare = await client.request('poll', 'GET', '/');
      expect(bare.body.type).to.equal(null);
      expect(server.connections()).to.equal(1);
      expect(stats.count('hold')).to.equal(1);
      expect(stats.statuses.get('201')).to.equal(2);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('when an answer closes its connection, then the next request opens another; a silent server times the request out as status 0', async () => {
    const server = await answering();
    const stats = new LoadStats();
    const client = new LoadClient(server.url, stats, 1, { raw: true, timeoutMs: 200 });
    try {
      const refused = await client.request('confirm', 'POST', '/close', { body: {} });
      expect(refused.status).to.equal(409);
      expect(refused.body.code).to.equal('HOLD.CONFLICT');
      expect((await client.request('poll', 'GET', '/')).status).to.equal(201);
      expect(server.connections()).to.equal(2);
      expect((await client.request('poll', 'GET', '/silent')).status).to.equal(0);
      expect(stats.failures).to.equal(1);
      // the timed-out connection was dropped: the only place goes to a new one
      expect((await client.request('poll', 'GET', '/')).status).to.equal(201);
      expect(server.connections()).to.equal(3);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('when more requests come at once than connections are allowed, then they wait for a free one and all are answered', async () => {
    const server = await answering();
    const client = new LoadClient(server.url, new LoadStats(), 3, { raw: true });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => client.request('poll', 'POST', '/', { body: { i } })));
      expect(answers.map((answer) => JSON.parse(answer.body.body).i)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
      expect(server.connections()).to.equal(3);
    } finally {
      client.close();
      await server.close();
    }
  });
});
