import { expect } from 'chai';
import { countSold } from '../../../bench/load/oversell.js';
import { cores, CpuSampler } from '../../../bench/load/proc-cpu.js';
import { LoadStats } from '../../../bench/load/stats.js';
import { parseWrk } from '../../../bench/load/wrk.js';

const wrkOutput = `Running 5s test @ http://127.0.0.1:18555/
  1 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.87ms    8.93ms 188.65ms   96.51%
  Latency Distribution
     50%  812.00us
     75%    3.36ms
     90%    9.10ms
     99%    1.20s
  122861 requests in 5.00s, 20.15MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  24572.27
Transfer/sec:      4.03MB
`;

describe('load harness', () => {
  it('when wrk prints its summary, then rate, percentiles in ms and failures are read from it', () => {
    expect(parseWrk(wrkOutput)).to.deep.equal({ requestsPerSecond: 24572.27, p50: 0.812, p99: 1200, failed: 12 });
  });

  it('when requests are recorded, then percentiles, 5xx and seats confirmed twice are counted', () => {
    const stats = new LoadStats();
    for (let ms = 1; ms <= 100; ms++) stats.record('hold', ms === 100 ? 503 : 201, ms);
    stats.record('confirm', 0, 5);
    stats.booked(['A-1-1']);
    stats.booked(['A-1-1', 'A-1-2']);
    expect(stats.percentile(50, ['hold'])).to.equal(50);
    expect(stats.percentile(99, ['hold'])).to.equal(99);
    expect(stats.serverErrors()).to.equal(1);
    expect(stats.failures).to.equal(1);
    expect(stats.statuses.get('failed')).to.equal(1);
    expect(stats.ticketsBooked).to.equal(3);
    expect(stats.duplicateSeats()).to.equal(1);
  });

  it('when the opening burst is left out, then the percentiles are of the requests sent after it alone', () => {
    const stats = new LoadStats();
    stats.startedAt = Date.now() - 1000;
    // answered now: three slow ones sent 2–4 s ago (the opening), 97 fast ones sent within the last 0.1 s
    for (const ms of [2000, 3000, 4000]) stats.record('hold', 201, ms);
    for (let ms = 1; ms <= 97; ms++) stats.record('hold', 201, ms);
    expect(stats.percentile(99, ['hold'])).to.equal(3000);
    expect(stats.percentile(99, ['hold'], 500)).to.equal(97);
    expect(stats.percentile(99, undefined, 500)).to.equal(97);
  });

  it('when a seat map lists seats by status or a pool gives counts, then the sold tickets are counted', () => {
    const compact = {
      seating: 'reserved',
      sections: [
        { id: 'A', rows: ['sash', 'aaas'] },
        { id: 'B', rows: ['ss'] },
      ],
    };
    expect(countSold(compact, 10)).to.equal(5);
    expect(countSold({ sections: [{ seats: [{ status: 'sold' }, { status: 'held' }] }, { seats: [{ status: 'sold' }] }] }, 3)).to.equal(2);
    expect(
      countSold(
        {
          seats: [
            { id: 'A-1-1', state: 'sold' },
            { id: 'A-1-2', state: 'available' },
          ],
        },
        2,
      ),
    ).to.equal(1);
    expect(countSold({ generalAdmission: { remaining: 10, held: 5 } }, 40)).to.equal(25);
    expect(countSold({ sold: 7 }, 40)).to.equal(7);
    expect(countSold({}, 40)).to.equal(undefined);
  });

  it('when this process burns CPU, then the sampler sees what the process itself counts', () => {
    const sampler = new CpuSampler({ self: () => [process.pid] });
    const before = process.cpuUsage();
    const startedAt = performance.now();
    sampler.start();
    const until = performance.now() + 300;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const { user, system } = process.cpuUsage(before);
    const seen = sampler.stop().self!;
    // the kernel's own count, as % of the machine: how much of the 300 ms this process was given
    // (less on a busy machine); the sampler reads /proc in 10-ms ticks, so a few ticks apart at most
    const counted = (100 * (user + system)) / 1000 / (performance.now() - startedAt) / cores;
    expect(seen).to.be.greaterThan(0);
    const tick = (100 * 10) / 300 / cores;
    expect(seen).to.be.closeTo(counted, 5 * tick);
  });
});
