import { expect } from 'chai';
import { connect } from 'node:net';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { freePort, freePortRun } from '../../support/free-port.js';
import { childPids, listeners, startMain, type MainProcess } from './main-process.js';

/** Sends a POST whose body is still missing its end: the server holds it as an in-flight request. */
function beginSlowRequest(port: number) {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => (received += chunk));
  const body = '{"slow": "request"}';
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      socket.write(
        `POST /api/no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      socket.write(body.slice(0, 5));
      resolve();
    });
    socket.once('error', reject);
  });
  return {
    opened,
    finish: () =>
      new Promise<string>((resolve, reject) => {
        socket.once('end', () => resolve(received));
        socket.once('error', reject);
        socket.write(body.slice(5));
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown of npm start (MariaDB + Redis)', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let main: MainProcess | undefined;

  before(async function () {
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    database = await createTestDatabase('onsale_shutdown');
  });

  afterEach(() => main?.kill());
  after(async () => database?.drop());

  for (const workers of [1, 2]) {
    it(`when SIGTERM arrives during a request with WORKERS=${workers}, then the request is answered and the process exits 0`, async () => {
      main = await startMain({ MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL, WORKERS: String(workers) });
      if (workers > 1) expect(childPids(main.pid)).to.have.length(workers);
      const request = beginSlowRequest(main.port);
      await request.opened;
      await sleep(300);
      main.signal('SIGTERM');
      await sleep(500);
      expect(main.exitCode()).to.equal(null, 'exited before the in-flight request was answered');
      const response = await request.finish();
      expect(response).to.match(/^HTTP\/1\.1 404 /);
      expect(response).to.contain('"status":404');
      expect(await main.exited).to.equal(0);
    });
  }

  for (const [scheduling, who] of [
    ['os', 'the workers accept connections themselves'],
    ['round-robin', 'the primary accepts them and hands them out'],
  ] as const) {
    it(`when CLUSTER_SCHEDULING is ${scheduling}, then ${who}`, async () => {
      main = await startMain({ MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL, WORKERS: '2', CLUSTER_SCHEDULING: scheduling });
      const workers = childPids(main.pid).sort();
      expect(workers).to.have.length(2);
      // with os scheduling the primary keeps the shared socket open too (it made it), but the workers accept on it
      if (scheduling === 'os') expect(listeners(main.port)).to.include.members(workers);
      else expect(listeners(main.port)).to.deep.equal([main.pid]);
      const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`http://127.0.0.1:${main!.port}/health/live`)));
      expect(answers.map((answer) => answer.status)).to.deep.equal(Array(50).fill(200));
      main.signal('SIGTERM');
      expect(await main.exited).to.equal(0);
    });
  }

  it('when a worker dies unexpectedly, then the primary starts another and keeps serving', async () => {
    main = await startMain({ MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL, WORKERS: '2' });
    const [victim] = childPids(main.pid);
    process.kill(victim!, 'SIGKILL');
    let replaced: number[] = [];
    for (let attempt = 0; attempt < 100 && replaced.length < 2; attempt++) {
      await sleep(200);
      replaced = childPids(main.pid).filter((pid) => pid !== victim);
    }
    expect(replaced).to.have.length(2);
    const live = await fetch(`http://127.0.0.1:${main.port}/health/live`);
    expect(live.status).to.equal(200);
    main.signal('SIGTERM');
    expect(await main.exited).to.equal(0);
  });

  it('when WORKER_PORT_BASE is set, then each worker answers on ports of its own, a replacement too', async () => {
    // every worker port free, and none the shared one (a collision would keep a worker from listening)
    const port = await freePort();
    const base = await freePortRun(4, [port]);
    main = await startMain({
      MYSQL_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      WORKERS: '2',
      WORKER_PORT_BASE: String(base),
      WORKER_LISTENERS: '2',
      PORT: String(port),
    });
    const ports = [base, base + 1, base + 2, base + 3];
    const liveAt = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.status;
    const answering = async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        if ((await Promise.all(ports.map(liveAt))).every((status) => status === 200)) return true;
        await sleep(200);
      }
      return false;
    };
    expect(await answering(), 'every worker port answers').to.equal(true);
    // worker 0 listens alone on base and base + 1, worker 1 on base + 2 and base + 3
    const holders = ports.map(listeners);
    expect(holders.every((pids) => pids.length === 1)).to.equal(true);
    expect(holders[0]).to.deep.equal(holders[1]);
    expect(holders[2]).to.deep.equal(holders[3]);
    expect(holders[0]).to.not.deep.equal(holders[2]);
    expect([...holders[0]!, ...holders[2]!].sort()).to.deep.equal(childPids(main.pid).sort());
    process.kill(childPids(main.pid)[0]!, 'SIGKILL');
    await sleep(300);
    expect(await answering(), 'the replacement took its slot and port').to.equal(true);
    main.signal('SIGTERM');
    expect(await main.exited).to.equal(0);
  });
});
