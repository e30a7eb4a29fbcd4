import { expect } from 'chai';
import { readModelsLine, settledLine } from '../../../bench/load/report.js';

describe('bench: how stale the read models are as a load window ends', () => {
  it('when projections are behind the head, then the line names the furthest behind first and leaves out those caught up', () => {
    const line = readModelsLine({ head: 90_000, behind: { members: 0, shows: 31_000, seat_map: 226, reservations: 4_248 } });
    expect(line).to.equal(
      "read models as the window's time was up: 31000 positions behind the log's head (90000) at most: shows 31000, reservations 4248, seat_map 226",
    );
  });

  it('when every projection is at the head, then the line says 0', () => {
    expect(readModelsLine({ head: 12, behind: { shows: 0 } })).to.equal(
      "read models as the window's time was up: 0 positions behind the log's head (12) at most",
    );
  });

  it('when the run settled, then the CPU until then and the window alone are both µs a booking', () => {
    // the window: 50 % of 2 cores for 20 s = 20 CPU-s; until caught up 24 CPU-s; 20,000 bookings
    const line = settledLine({ settled: true, seconds: 3.25, cpuSeconds: { server: 24 } }, 50, 20_000, 20, 2);
    expect(line).to.equal('read models caught up 3.3 s after the window: server CPU 1200 µs a booking until then (the window alone 1000)');
    expect(settledLine({ settled: false, seconds: 120, cpuSeconds: { server: 30 } }, 50, 20_000, 20, 2)).to.match(
      /^read models NOT caught up 120 s/,
    );
  });
});
