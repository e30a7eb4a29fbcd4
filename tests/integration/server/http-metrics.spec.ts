import { expect } from 'chai';
import { startEmbeddedServer, type EmbeddedServer } from '../../support/embedded-server.js';

/** The value of one sample of /metrics, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find(
    (l) =>
      l.startsWith(`${name}{`) &&
      wanted.every((pair) =>
        l
          .slice(0, l.indexOf('}'))
          .split(',')
          .some((p) => p.endsWith(pair)),
      ),
  );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('GET /metrics: HTTP, process and store figures', function () {
  this.timeout(30_000);
  let server: EmbeddedServer;
  const metrics = async () => (await fetch(`${server.base}/metrics`)).text();

  before(async () => {
    server = await startEmbeddedServer('silent');
  });
  after(async () => {
    await server?.close();
  });

  it('when routes with ids are asked, then requests are counted by route template and status class, never by raw path', async () => {
    const before = await metrics();
    const labels = { method: 'GET', route: '/api/shows/:id', status_class: '4xx' };
    for (const id of ['not-a-show-1', 'not-a-show-2', 'not-a-show-3']) await fetch(`${server.base}/api/shows/${id}`);
    const after = await metrics();
    expect(sample(after, 'onsale_http_requests_total', labels) - sample(before, 'onsale_http_requests_total', labels)).to.equal(3);
    expect(after).not.to.include('not-a-show');
    expect(sample(after, 'onsale_http_request_duration_seconds_count', { method: 'GET', route: '/api/shows/:id' })).to.be.at.least(3);
  });

  it('when paths no route knows are asked, then they all fall under one "unmatched" label', async () => {
    const before = await metrics();
    const labels = { method: 'GET', route: 'unmatched', status_class: '4xx' };
    for (let i = 0; i < 5; i++) await fetch(`${server.base}/api/random-${i}/${Math.random()}`);
    const after = await metrics();
    expect(sample(after, 'onsale_http_requests_total', labels) - sample(before, 'onsale_http_requests_total', labels)).to.equal(5);
    expect(after).not.to.include('random-');
  });

  it('when the readiness probe answers, then it is counted as 2xx under its own route', async () => {
    const before = await metrics();
    const labels = { method: 'GET', route: '/health/ready', status_class: '2xx' };
    await fetch(`${server.base}/health/ready`);
    expect(sample(await metrics(), 'onsale_http_requests_total', labels) - sample(before, 'onsale_http_requests_total', labels)).to.equal(
      1,
    );
  });

  it("when scraped, then Node's process figures (event-loop lag, GC, heap, handles) are there", async () => {
    const text = await metrics();
    for (const name of [
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_active_handles_total',
      'process_cpu_seconds_total',
    ]) {
      expect(text, name).to.match(new RegExp(`^${name}[ {]`, 'm'));
    }
    // GC durations have no sample before the first collection, but the histogram is declared
    expect(text).to.match(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
  });

  it('when a member signs up, then the event store’s append latency and batch size are recorded', async () => {
    const before = await metrics();
    const response = await fetch(`${server.base}/api/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `metrics-${Date.now()}@example.org`, password: 'correct horse battery', name: 'Metrics' }),
    });
    expect(response.status).to.equal(201);
    const after = await metrics();
    const count = (text: string, name: string, labels: Record<string, string>) => sample(text, name, labels);
    const ok = { operation: 'append', outcome: 'ok' };
    expect(count(after, 'onsale_eventstore_append_duration_seconds_count', ok)).to.be.greaterThan(
      count(before, 'onsale_eventstore_append_duration_seconds_count', ok),
    );
    expect(count(after, 'onsale_eventstore_append_events_count', { operation: 'append' })).to.be.greaterThan(
      count(before, 'onsale_eventstore_append_events_count', { operation: 'append' }),
    );
  });

  it('when scraped, then each store the process uses is reported up', async () => {
    expect(sample(await metrics(), 'onsale_dependency_up', { dependency: 'sqlite' })).to.equal(1);
  });
});
