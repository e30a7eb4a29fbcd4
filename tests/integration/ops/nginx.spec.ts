import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { nginxTimes } from '../../../bench/load/nginx-times.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { eventStreamRoute } from '../../../src/infrastructure/http/event-stream-route.js';
import { serveUpgradedStreams } from '../../../src/infrastructure/http/event-stream-upgrade.js';
import { ParkableResponse } from '../../../src/infrastructure/http/parked-poll.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { freePort } from '../../support/free-port.js';
import { tempDataDir } from '../../support/temp-dir.js';

const root = path.resolve(import.meta.dirname, '../../..');
const script = path.join(root, 'ops/nginx/run.sh');
const installed = existsSync('/usr/sbin/nginx');

describe('ops/nginx/run.sh with onsale.conf', function () {
  this.timeout(30_000);
  const dir = tempDataDir();
  let upstream: Server;
  let env: NodeJS.ProcessEnv;
  let base: string;
  const seen: { url: string; forwardedFor?: string; requestId?: string }[] = [];
  const upgrades: { upgrade?: string; requestId?: string }[] = [];
  const parkedSeen: boolean[] = [];

  before(async function () {
    // Under CI, run.sh installs Debian's nginx when it is absent (that is part of what is tested).
    if (!installed && process.env.CI !== 'true') {
      console.warn('      (skipped: nginx is not installed; ops/nginx/run.sh start would install it)');
      this.skip();
    }
    this.timeout(300_000);
    const upstreamPort = await freePort();
    upstream = createServer((req, res) => {
      if (req.url === '/api/parked') {
        // a long poll's connection parked off the server (parked-poll.ts), answered 300 ms later,
        // with a length (as onsale's answers) and without (chunked, as Node writes it)
        const parkable = new ParkableResponse(req, res);
        setImmediate(() => {
          parkable.park();
          parkedSeen.push(parkable.parked);
        });
        const text = JSON.stringify({ parked: true, padding: 'p'.repeat(3000) });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (parkedSeen.length % 2 === 0) headers['content-length'] = String(text.length);
        setTimeout(() => parkable.writeHead(200, headers).end(text), 300);
        return;
      }
      seen.push({
        url: req.url!,
        forwardedFor: req.headers['x-forwarded-for'] as string | undefined,
        requestId: req.headers['x-request-id'] as string | undefined,
      });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, padding: 'x'.repeat(4000) }));
    });
    // onsale's own upgrade handling, with one event stream: `position` at once, `admitted` 600 ms later
    upstream.on('upgrade', (req) => upgrades.push({ upgrade: req.headers.upgrade, requestId: req.headers['x-request-id'] as string }));
    serveUpgradedStreams(upstream, {
      logger: createLogger('silent'),
      authenticator: {
        authenticate: async (token) => {
          if (token !== 'member-token') throw new DomainError('unauthenticated', 'AUTH.TOKEN_INVALID', 'The access token is not valid');
          return { memberId: 'm1', roles: [] };
        },
      },
      routes: [
        eventStreamRoute({
          path: '/api/shows/:id/queue/events',
          summary: 'a stream',
          tag: 'test',
          access: 'member',
          params: z.object({ id: z.string() }),
          responses: {},
          stream: {
            retryMs: 1000,
            open: async () => (sink) => {
              sink.event('position', { position: 1 });
              const later = setTimeout(() => sink.event('admitted', { admissionToken: 't' }), 600);
              return { stop: () => clearTimeout(later) };
            },
          },
        }),
      ],
    });
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
    chmodSync(dir.dir, 0o755); // nginx workers run as an unprivileged user
    const web = path.join(dir.dir, 'web');
    mkdirSync(path.join(web, 'assets'), { recursive: true });
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>onsale</title>');
    writeFileSync(path.join(web, 'assets', 'app.js'), 'console.log(1)');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      NGINX_LISTEN: `127.0.0.1:${port}`,
      ONSALE_UPSTREAM: `127.0.0.1:${upstreamPort}`,
      WEB_ROOT: web,
      NGINX_PREFIX: path.join(dir.dir, 'nginx'),
      NGINX_WORKERS: '1',
      QUEUE_JOIN_RATE: '1r/m',
      QUEUE_JOIN_BURST: '1',
      NGINX_ACCESS_LOG: path.join(dir.dir, 'access.log'),
    };
    execFileSync('bash', [script, 'start'], { env, stdio: 'ignore' });
  });

  after(() => {
    if (env) execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
    upstream?.close();
    dir.remove();
  });

  it('when /api is asked, then Node answers through it with the client address forwarded, gzipped', async () => {
    const response = await fetch(`${base}/api/shows`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-encoding')).to.equal('gzip');
    expect(((await response.json()) as { url: string }).url).to.equal('/api/shows');
    expect(seen.at(-1)!.forwardedFor).to.equal('127.0.0.1');
  });

  it('when a long poll is parked off the HTTP server upstream, then its answer comes through, and the requests after it too', async () => {
    for (let round = 0; round < 4; round++) {
      const started = Date.now();
      const response = await fetch(`${base}/api/parked`);
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ parked: true, padding: 'p'.repeat(3000) });
      expect(Date.now() - started).to.be.at.least(250);
      const after = await fetch(`${base}/api/shows`);
      expect(((await after.json()) as { url: string }).url).to.equal('/api/shows');
    }
    expect(parkedSeen).to.deep.equal([true, true, true, true]);
  });

  it('when NGINX_ACCESS_LOG names a file, then each request is logged with its times, as load:nginx-times reads them', async () => {
    await fetch(`${base}/api/shows/logged`);
    // the log is buffered and flushed every second
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const out = nginxTimes(readFileSync(path.join(dir.dir, 'access.log'), 'utf8'));
    expect(out).to.match(/\| GET \/api\/shows\/logged \| 1 \| \d+ \/ \d+ \/ \d+ \/ \d+ \|/);
    expect(out).to.include(`| ${env.ONSALE_UPSTREAM} |`);
  });

  it("when a request comes with or without X-Request-Id, then Node gets the client's id or nginx's own", async () => {
    await fetch(`${base}/api/shows`, { headers: { 'x-request-id': 'client-chosen-0001' } });
    expect(seen.at(-1)!.requestId).to.equal('client-chosen-0001');
    await fetch(`${base}/api/shows`);
    expect(seen.at(-1)!.requestId).to.match(/^[0-9a-f]{32}$/);
  });

  it('when a member listens to the queue events, then nginx asks Node with Upgrade: onsale-events and passes each event on as it comes', async () => {
    const started = Date.now();
    const response = await fetch(`${base}/api/shows/s1/queue/events`, { headers: { authorization: 'Bearer member-token' } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/event-stream; charset=utf-8');
    expect(upgrades.at(-1)!.upgrade).to.equal('onsale-events');
    expect(upgrades.at(-1)!.requestId).to.match(/^[0-9a-f]{32}$/);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: position')) text += new TextDecoder().decode((await reader.read()).value);
    const positionAfter = Date.now() - started;
    while (!text.includes('event: admitted')) text += new TextDecoder().decode((await reader.read()).value);
    const admittedAfter = Date.now() - started;
    await reader.cancel();
    // unbuffered: the position came well before the admission was even written
    expect(positionAfter).to.be.below(500);
    expect(admittedAfter).to.be.at.least(600);
    expect(text).to.match(/^retry: 1000\n\nevent: position\n/);
  });

  it('when the stream is refused, then the problem comes through nginx as Node wrote it', async () => {
    const response = await fetch(`${base}/api/shows/s1/queue/events`, { headers: { authorization: 'Bearer forged' } });
    expect(response.status).to.equal(401);
    expect(response.headers.get('content-type')).to.equal('application/problem+json');
    expect(((await response.json()) as { code: string }).code).to.equal('AUTH.TOKEN_INVALID');
  });

  it('when a page or an asset is asked, then the web build answers (the SPA gets index.html)', async () => {
    const page = await fetch(`${base}/shows/123`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('<title>onsale</title>');
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.status).to.equal(200);
    expect(asset.headers.get('cache-control')).to.contain('immutable');
  });

  it('when queue joins come too fast from one address, then nginx answers 429 with a problem and Retry-After; polls pass', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/api/shows/s1/queue`, { method: 'POST' })).status);
    expect(statuses.slice(0, 2)).to.deep.equal([200, 200]);
    const limited = await fetch(`${base}/api/shows/s1/queue`, { method: 'POST' });
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('retry-after')).to.equal('1');
    expect(limited.headers.get('content-type')).to.contain('application/problem+json');
    expect(((await limited.json()) as { code: string }).code).to.equal('QUEUE.RATE_LIMITED');
    const poll = await fetch(`${base}/api/shows/s1/queue`);
    expect(poll.status).to.equal(200);
  });
});

describe('ops/nginx/run.sh with one upstream per worker (ONSALE_UPSTREAMS) and waiting-room processes (ONSALE_WAITING_ROOM_UPSTREAMS)', function () {
  this.timeout(30_000);
  const dir = tempDataDir();
  const upstreams: Server[] = [];
  let env: NodeJS.ProcessEnv;
  let base: string;

  before(async function () {
    if (!installed && process.env.CI !== 'true') {
      console.warn('      (skipped: nginx is not installed; ops/nginx/run.sh start would install it)');
      this.skip();
    }
    this.timeout(300_000);
    const ports: number[] = [];
    for (const name of ['w0', 'w1', 'queue']) {
      const port = await freePort();
      const body = JSON.stringify({ worker: name });
      const server = createServer((_, res) => res.end(body));
      // nginx asks for event streams with Upgrade: onsale-events (onsale answers 200 on the socket)
      server.on('upgrade', (_, socket) =>
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`),
      );
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      upstreams.push(server);
      ports.push(port);
    }
    chmodSync(dir.dir, 0o755);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      NGINX_LISTEN: `127.0.0.1:${port}`,
      ONSALE_UPSTREAMS: ports
        .slice(0, 2)
        .map((p) => `127.0.0.1:${p}`)
        .join(','),
      ONSALE_WAITING_ROOM_UPSTREAMS: `127.0.0.1:${ports[2]}`,
      WEB_ROOT: dir.dir,
      NGINX_PREFIX: path.join(dir.dir, 'nginx'),
      NGINX_WORKERS: '1',
    };
    execFileSync('bash', [script, 'start'], { env, stdio: 'ignore' });
  });

  after(() => {
    if (env) execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
    for (const server of upstreams) server.close();
    dir.remove();
  });

  const workerFor = async (token?: string) =>
    (
      (await (await fetch(`${base}/api/shows`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).json()) as {
        worker: string;
      }
    ).worker;

  it('when a member sends requests, then they all reach one worker; members spread over both', async () => {
    for (const token of ['alice', 'bob', 'carol']) {
      const workers = new Set(await Promise.all(Array.from({ length: 8 }, () => workerFor(token))));
      expect([...workers], token).to.have.length(1);
    }
    const spread = new Set(await Promise.all(Array.from({ length: 40 }, (_, i) => workerFor(`member-${i}`))));
    expect([...spread].sort()).to.deep.equal(['w0', 'w1']);
    const anonymous = new Set(await Promise.all(Array.from({ length: 40 }, () => workerFor())));
    expect([...anonymous].sort()).to.deep.equal(['w0', 'w1']);
  });

  it("when a member joins, polls or listens to the queue, then the waiting room's process answers; holds go to the workers", async () => {
    const headers = { authorization: 'Bearer alice' };
    const reached = async (method: string, url: string) =>
      ((await (await fetch(`${base}${url}`, { method, headers })).json()) as { worker: string }).worker;
    expect(await reached('POST', '/api/shows/s1/queue')).to.equal('queue');
    expect(await reached('GET', '/api/shows/s1/queue')).to.equal('queue');
    expect(await reached('GET', '/api/shows/s1/queue/events')).to.equal('queue');
    expect(['w0', 'w1']).to.include(await reached('POST', '/api/shows/s1/holds'));
    expect(['w0', 'w1']).to.include(await reached('GET', '/api/shows/s1'));
  });
});

describe('ops/nginx/run.sh over several hosts (UPSTREAM_FAILOVER=1)', function () {
  this.timeout(30_000);
  const dir = tempDataDir();
  const upstreams: Server[] = [];
  const posts: string[] = [];
  let env: NodeJS.ProcessEnv;
  let base: string;

  before(async function () {
    if (!installed && process.env.CI !== 'true') {
      console.warn('      (skipped: nginx is not installed; ops/nginx/run.sh start would install it)');
      this.skip();
    }
    this.timeout(300_000);
    const live = await freePort();
    const server = createServer((req, res) => {
      if (req.method === 'POST') posts.push(req.url!);
      res.end(JSON.stringify({ host: 'live' }));
    });
    await new Promise<void>((resolve) => server.listen(live, '127.0.0.1', resolve));
    upstreams.push(server);
    // a host that is gone: nothing listens on its port, connections are refused
    const gone = await freePort();
    chmodSync(dir.dir, 0o755);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      NGINX_LISTEN: `127.0.0.1:${port}`,
      ONSALE_UPSTREAMS: `127.0.0.1:${gone},127.0.0.1:${live}`,
      UPSTREAM_FAILOVER: '1',
      WEB_ROOT: dir.dir,
      NGINX_PREFIX: path.join(dir.dir, 'nginx'),
      NGINX_WORKERS: '1',
    };
    execFileSync('bash', [script, 'start'], { env, stdio: 'ignore' });
  });

  after(() => {
    if (env) execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
    for (const server of upstreams) server.close();
    dir.remove();
  });

  it('when one host refuses connections, then every member is answered by the other, a POST once', async () => {
    const members = Array.from({ length: 20 }, (_, i) => `member-${i}`);
    const gets = await Promise.all(
      members.map((token) => fetch(`${base}/api/shows`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)),
    );
    expect(gets).to.deep.equal(members.map(() => 200));
    const sent = await Promise.all(
      members.map((token) =>
        fetch(`${base}/api/holds/${token}/confirm`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(sent).to.deep.equal(members.map(() => 200));
    expect(posts).to.have.length(members.length);
  });
});
