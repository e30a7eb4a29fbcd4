import { expect } from 'chai';
import knexFactory from 'knex';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { freePort, freePortRun } from '../../support/free-port.js';
import { serverChildren, startMain, type MainProcess } from './main-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("projection homes: the read models' work spread over the workers (MariaDB + Redis)", function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let main: MainProcess | undefined;

  before(async function () {
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    database = await createTestDatabase('onsale_homes');
  });
  afterEach(() => main?.kill());
  after(async () => database?.drop());

  it('when two workers run, then each holds the leases at home in it; one killed, its successor gets them', async () => {
    const port = await freePort();
    const base = await freePortRun(2, [port]);
    main = await startMain({
      MYSQL_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      WORKERS: '2',
      WORKER_PORT_BASE: String(base),
      WORKER_LISTENERS: '1',
      PORT: String(port),
    });
    const workers = () => serverChildren(main!.pid);
    const knex = knexFactory({ client: 'mysql2', connection: database.url, pool: { min: 0, max: 1 } });
    // projection lease owners by worker pid (owner: server@host:pid:random), presence rows left out
    const holdings = async () => {
      const rows = (await knex('projection_leases')
        .whereNot('name', 'like', 'engine:%')
        .andWhere('expires_at', '>', Date.now())
        .select('owner')) as Array<{ owner: string }>;
      const byPid = new Map<number, number>();
      for (const { owner } of rows) {
        const pid = Number(owner.split(':')[1]);
        byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
      }
      return byPid;
    };
    const until = async (what: string, check: (held: Map<number, number>) => boolean) => {
      let held = new Map<number, number>();
      for (let attempt = 0; attempt < 150; attempt++) {
        held = await holdings();
        if (check(held)) return held;
        await sleep(200);
      }
      throw new Error(`${what}: leases held ${JSON.stringify([...held])}`);
    };
    try {
      const [one, two] = workers();
      expect([one, two].every(Boolean)).to.equal(true);
      // nine projections over two slots: five at home in slot 0, four in slot 1
      const spread = await until('the leases to spread', (held) => held.size === 2 && [...held.values()].sort().join() === '4,5');
      expect([...spread.keys()].sort()).to.deep.equal([one, two].sort());

      // (had it not come back, the survivor would have taken them once its presence expired: runner.spec.ts)
      process.kill(two!, 'SIGKILL');
      let successor: number | undefined;
      for (let attempt = 0; attempt < 100 && !successor; attempt++) {
        await sleep(200);
        successor = workers().find((pid) => pid !== one && pid !== two);
      }
      expect(successor).to.be.a('number');
      const after = await until(
        'the successor to get its own',
        (held) => held.has(successor!) && held.size === 2 && [...held.values()].sort().join() === '4,5',
      );
      expect(after.has(one!)).to.equal(true);
    } finally {
      await knex.destroy();
    }
    main.signal('SIGTERM');
    expect(await main.exited).to.equal(0);
  });
});
