import { expect } from 'chai';
import { formatWorkers, metricSum } from '../../../bench/load/worker-view.js';

describe("worker-view: each worker's own figures in a run behind Nginx", () => {
  const exposition = [
    '# HELP onsale_http_requests_total Requests answered',
    '# TYPE onsale_http_requests_total counter',
    'onsale_http_requests_total{method="POST",route="/holds",status="201"} 120',
    'onsale_http_requests_total{method="POST",route="/confirm",status="201"} 80',
    'onsale_http_requests_total_extra 999',
    'nodejs_eventloop_lag_p99_seconds 0.25',
  ].join('\n');

  it('when a metric has several series, then their values are added, and a metric whose name only starts alike is not', () => {
    expect(metricSum(exposition, 'onsale_http_requests_total')).to.equal(200);
    expect(metricSum(exposition, 'nodejs_eventloop_lag_p99_seconds')).to.equal(0.25);
    expect(metricSum(exposition, 'onsale_booking_conflicts_total')).to.equal(0);
  });

  it('when figures are given, then each worker gets a line with its ports, CPU by kind of thread and lag', () => {
    const [line] = formatWorkers([
      {
        ports: [4000, 4001, 4002, 4003],
        pid: 42,
        cpu: 87.4,
        threads: { main: 61.2, v8: 24.9, libuv: 1.1, other: 0.2 },
        lagP50: 12,
        lagP99: 410,
        lagMax: 900,
        requests: 200,
        batches: 30,
        conflicts: 2,
        gcSeconds: 0.5,
      },
    ]);
    expect(line).to.equal(
      '  - worker pid 42 (ports 4000–4003): CPU 87% of a core (event loop 61, V8 helpers 25, libuv 1), event-loop lag p50 12 / p99 410 / max 900 ms, 200 requests, 30 booking appends, 2 conflicts, GC 0.50 s',
    );
  });

  it('when a process is a waiting-room one, then its line says so', () => {
    const [line] = formatWorkers([
      {
        ports: [4004],
        pid: 43,
        waitingRoom: true,
        cpu: 24,
        threads: { main: 20, v8: 4, libuv: 0, other: 0 },
        lagP50: 11,
        lagP99: 74,
        lagMax: 166,
        requests: 900,
        batches: 0,
        conflicts: 0,
        gcSeconds: 0.76,
      },
    ]);
    expect(line).to.match(/^ {2}- waiting-room process pid 43 \(ports 4004–4004\): CPU 24% of a core/);
  });
});
