import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import type { SeedOutput } from '../../../src/infrastructure/cli/seed-output.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { procStat } from '../../../bench/load/proc-cpu.js';
import { listeners, ownPorts, projectionLeaseOwners, serverChildren, startMain, type MainProcess } from './main-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The nice value of every thread of `pid`. */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    try {
      return [procStat(`/proc/${pid}/task/${tid}/stat`).nice];
    } catch {
      return []; // a thread that has just ended
    }
  });
}

/** The command line `pid` was started with, word by word. */
function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

async function post(port: number, path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('WAITING_ROOM_WORKERS: processes that hold the crowd at a lower priority, beside the booking workers (MariaDB + Redis)', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let main: MainProcess | undefined;
  let seed: SeedOutput;
  const secret = randomBytes(24).toString('hex');

  before(async function () {
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    database = await createTestDatabase('onsale_waiting_room');
    const config = loadConfig({ MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL, JWT_SECRET: secret, LOG_LEVEL: 'warn' });
    seed = await seedSale(config, {
      members: 3,
      shows: ['general-queue'],
      capacity: 20,
      admitPerSecond: 50,
      maxActive: 10,
      concurrency: 3,
    });
  });
  afterEach(() => main?.kill());
  after(async () => database?.drop());

  it('when one worker and one waiting-room process run, then the crowd joins there (at WAITING_ROOM_NICE 10), buys at the worker, and the worker alone admits and projects', async () => {
    const { base, booking, env } = await ownPorts(2);
    main = await startMain({
      MYSQL_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET: secret,
      WORKERS: '1',
      WAITING_ROOM_WORKERS: '1',
      WAITING_ROOM_NICE: '10',
      ...env,
    });
    const children = serverChildren(main.pid);
    expect(children).to.have.length(2);
    // slot 0 the worker, slot 1 (WORKERS + 0) the waiting room, each alone on its own port
    const [worker] = listeners(base);
    const [waitingRoom] = listeners(base + 1);
    expect([worker, waitingRoom].sort()).to.deep.equal([...children].sort());
    // the booking door is the worker's; the waiting room has none
    expect(listeners(booking)).to.deep.equal([worker]);
    expect(listeners(booking + 1)).to.deep.equal([]);
    // every thread of the waiting room yields (V8's and libuv's too), none of the worker's does
    const nices = threadNices(waitingRoom!);
    expect(nices.length).to.be.greaterThan(4);
    expect(new Set(nices)).to.deep.equal(new Set([10]));
    expect(new Set(threadNices(worker!))).to.deep.equal(new Set([0]));
    // the worker that sells starts with the larger young generation (WORKER_SEMI_SPACE_MB, 128 by default); the crowd's process with V8's
    expect(cmdline(worker!)).to.include('--max-semi-space-size=128');
    expect(cmdline(waitingRoom!).filter((word) => word.startsWith('--max-semi-space-size'))).to.deep.equal([]);

    const owners = await projectionLeaseOwners(database.url);
    expect(owners.length).to.be.at.least(9);
    expect(
      owners.every((owner) => owner.includes(`:${worker}:`)),
      owners.join(', '),
    ).to.equal(true);

    // a member joins at the waiting room, is admitted (by the worker's admitter, or at once), and books at the worker's door
    const show = seed.shows[0]!.id;
    const [buyer, other] = seed.members;
    const joined = await post(base + 1, `/api/shows/${show}/queue`, buyer!.accessToken, {}, { prefer: 'wait=10' });
    expect(joined.status, JSON.stringify(joined.body)).to.equal(200);
    expect(joined.body.state).to.equal('admitted');
    const held = await post(
      booking,
      `/api/shows/${show}/holds`,
      buyer!.accessToken,
      { quantity: 2 },
      { 'admission-token': String(joined.body.admissionToken), 'idempotency-key': randomBytes(8).toString('hex') },
    );
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    const confirmed = await post(booking, `/api/holds/${String(held.body.holdId)}/confirm`, buyer!.accessToken, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
    // the waiting room serves a join that asks for its hold too (the handler is the same)
    const withHold = await post(base + 1, `/api/shows/${show}/queue`, other!.accessToken, { hold: { quantity: 1 } }, { prefer: 'wait=10' });
    expect(withHold.status, JSON.stringify(withHold.body)).to.equal(200);
    expect(withHold.body.hold, JSON.stringify(withHold.body)).to.include({ quantity: 1 });

    // killed, it comes back on its own port, at its lower priority again
    process.kill(waitingRoom!, 'SIGKILL');
    let again: number[] = [];
    for (let attempt = 0; attempt < 100 && again.length === 0; attempt++) {
      await sleep(200);
      again = listeners(base + 1).filter((pid) => pid !== waitingRoom);
    }
    expect(again).to.have.length(1);
    expect(new Set(threadNices(again[0]!))).to.deep.equal(new Set([10]));
    main.signal('SIGTERM');
    expect(await main.exited).to.equal(0);
  });
});
