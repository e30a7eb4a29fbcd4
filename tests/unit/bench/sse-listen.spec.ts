import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadClient } from '../../../bench/load/http-client.js';
import { SseParser } from '../../../bench/load/sse-parser.js';
import { LoadStats } from '../../../bench/load/stats.js';

const sample =
  'retry: 5000\n\nevent: position\ndata: {"position":3}\n\n: keep-alive\n\nevent: admitted\r\ndata: {"a":1}\r\ndata: {"b":2}\r\n\r\n';

describe('load harness: Server-Sent Events', () => {
  it('when the stream arrives in pieces split anywhere, then the same events come out as in one piece', () => {
    const whole = new SseParser().push(sample);
    expect(whole).to.deep.equal([
      { event: 'position', data: '{"position":3}' },
      { event: 'admitted', data: '{"a":1}\n{"b":2}' },
    ]);
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < sample.length; i += size) events.push(...parser.push(sample.slice(i, i + size)));
      expect(events, `pieces of ${size}`).to.deep.equal(whole);
      expect(parser.comments).to.equal(1);
      expect(parser.retryMs).to.equal(5000);
    }
  });

  it('when a listen matches, reaches its deadline or hears nothing on the only socket, then it is aborted and the next request gets the socket', async () => {
    let streams = 0;
    const server = http.createServer((req, res) => {
      if (req.url === '/silent') return; // answers nothing
      if (req.url === '/events') {
        streams++;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('retry: 5000\n\nevent: position\ndata: {}\n\n');
        setTimeout(() => res.write('event: admitted\ndata: {"admissionToken":"t"}\n\n'), 20);
        return; // never ends: only the client can
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stats = new LoadStats();
    const client = new LoadClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats, 1, { timeoutMs: 2000 });
    try {
      for (let round = 0; round < 2; round++) {
        const heard = await client.listen('listen', '/events', {
          until: (e) => e.event === 'admitted',
          deadline: performance.now() + 2000,
        });
        expect(heard.ended).to.equal('matched');
        expect(JSON.parse(heard.event!.data).admissionToken).to.equal('t');
        expect((await client.request('hold', 'GET', '/hold')).status).to.equal(200);
      }
      const late = await client.listen('listen', '/events', { until: () => false, deadline: performance.now() + 50 });
      expect(late).to.include({ ended: 'deadline', status: 200 });
      expect((await client.request('hold', 'GET', '/hold')).status).to.equal(200);
      expect(streams).to.equal(3);
      const silent = await client.listen('listen', '/silent', { until: () => true, deadline: performance.now() + 50 });
      expect(silent).to.include({ ended: 'deadline', status: 0 });
      expect((await client.request('hold', 'GET', '/hold')).status).to.equal(200);
      expect(stats.count('listen')).to.equal(4);
      expect(stats.requests).to.equal(8);
      expect(stats.statuses.get('cut')).to.equal(1);
      expect(stats.failures).to.equal(0);
      // percentiles over every request leave the listens (waits) out
      expect(stats.percentile(100)).to.equal(Math.max(...stats.latencies.get('hold')!));
      expect(stats.percentile(100, ['listen'])).to.be.at.least(20);
    } finally {
      client.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
