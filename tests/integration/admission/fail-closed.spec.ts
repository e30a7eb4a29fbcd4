import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AdmissionGate } from '../../../src/application/ports/admission-gate.js';
import type { AdmissionTokens } from '../../../src/application/ports/admission-tokens.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { admissionClaims } from '../../../src/domain/admission/admission-token.js';
import { uniqueName } from '../../support/services.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

/** A throw-away redis-server of our own on a free port (never the shared one), without persistence. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'pipe',
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the waiting room when Redis goes away', () => {
  let redis: ChildProcess | undefined;
  let server: QueueServer | undefined;

  afterEach(async () => {
    await server?.close();
    if (redis) await stopRedis(redis);
  });

  it('when Redis is unreachable, then joins and holds answer 503 with Retry-After, reads still work, and it recovers without a restart', async function () {
    this.timeout(60_000);
    const port = await freePort();
    redis = await startRedis(port);
    server = await startQueueServer(this, 'mariadb', { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    const show = uniqueName('show');
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const member = await server.http.member();
    const path = `/api/shows/${show}/queue`;
    expect((await server.http.request('POST', path, { token: member.token })).status).to.equal(200);

    await stopRedis(redis);
    const join = await server.http.request('POST', path, { token: member.token });
    expect(join.status).to.equal(503);
    expect(join.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(Number(join.headers.get('retry-after'))).to.be.greaterThan(0);
    const poll = await server.http.request('GET', path, { token: member.token });
    expect(poll.status).to.equal(503);
    const tokens = server.container.resolve<AdmissionTokens>(TOKENS.AdmissionTokens);
    const token = tokens.sign(admissionClaims(member.id, show, Date.now(), 60));
    const gate = server.container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
    const hold = await gate.verify(show, member.id, token).then(
      () => undefined,
      (error: { kind?: string; retryAfterSeconds?: number }) => error,
    );
    expect(hold).to.include({ kind: 'unavailable' });
    expect(hold?.retryAfterSeconds).to.be.greaterThan(0);
    const read = await server.http.request('GET', '/api/members/me', { token: member.token });
    expect(read.status).to.equal(200);
    const shows = await server.http.request('GET', '/api/shows');
    expect(shows.status, JSON.stringify(shows.body)).to.equal(200);

    redis = await startRedis(port);
    const end = Date.now() + 15_000;
    let again = await server.http.request('POST', path, { token: member.token });
    while (again.status !== 200 && Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      again = await server.http.request('POST', path, { token: member.token });
    }
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ state: 'waiting', position: 1 });
  });
});
