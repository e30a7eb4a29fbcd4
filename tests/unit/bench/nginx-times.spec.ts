import { expect } from 'chai';
import { nginxTimes } from '../../../bench/load/nginx-times.js';

const show = '2a0835e1-b1cf-4911-8d2e-93da7e245480';
const hold = `${show}.h0006991704cca3291ddce140`;
const line = (at: number, uri: string, total: string, upstream: string, connect: string, head: string) =>
  `${at}|POST|${uri}|201|${total}|${upstream}|${connect}|${head}|${head}|1`;

describe("nginx-times: where a run's slow requests waited", () => {
  it('when requests are logged, then they are grouped by route (ids folded), upstream, connection and time', () => {
    const log = [
      line(100.1, `/api/shows/${show}/holds`, '0.010', '127.0.0.1:4001', '0.000', '0.009'),
      line(100.2, `/api/shows/${show}/holds`, '0.020', '127.0.0.1:4002', '0.000', '0.019'),
      line(106.0, `/api/holds/${hold}/confirm`, '3.000', '127.0.0.1:4002', '2.000', '2.900'),
      'not a timing line',
    ].join('\n');
    const out = nginxTimes(log);
    expect(out).to.include('| POST /api/shows/:id/holds | 2 | 10 / 20 / 20 / 20 |');
    expect(out).to.include('| POST /api/holds/:id/confirm | 1 | 3,000 / 3,000 / 3,000 / 3,000 |');
    expect(out).to.include('| 127.0.0.1:4002 | 2 | 20 / 3,000 / 3,000 / 3,000 |');
    expect(out).to.include('| new (connect time > 0) | 1 | 3,000 / 3,000 / 3,000 / 3,000 |');
    expect(out).to.include('| 000–5 | 2 |');
    expect(out).to.include('| 005–10 | 1 |');
    // the slowest: 2 s of 3 waiting for a connection, 0.9 s for the head, 0.1 s after it
    expect(out).to.include(
      "66.7 % of their time waiting for an upstream connection, 30.0 % waiting for the upstream's answer head, 3.3 % in Nginx after it",
    );
  });

  it('when a request tried two upstreams, then their times are added', () => {
    const out = nginxTimes(line(1, '/api/shows', '1.000', '127.0.0.1:4001, 127.0.0.1:4002', '0.500, 0.100', '-, 0.700'));
    expect(out).to.include('60.0 % of their time waiting for an upstream connection');
  });

  it('when the log has no timing lines, then it says so', () => {
    expect(nginxTimes('127.0.0.1 - - [06/Dec/2026] "GET / HTTP/1.1" 200')).to.equal('no `timing` lines in the log');
  });
});
