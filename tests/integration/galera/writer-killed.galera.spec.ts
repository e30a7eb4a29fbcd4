import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { prepareDatabaseSale, type DatabaseSale } from '../../../bench/chaos/database-sale.js';
import { summarize } from '../../../bench/chaos/fault-report.js';
import { runFault, type FaultRun } from '../../../bench/chaos/fault-run.js';
import { killedNodes, writerKill } from '../../../bench/chaos/galera-faults.js';
import { checkSale, CLEAN_SALE } from '../../../bench/chaos/sale-check.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { startServer } from '../../../src/infrastructure/server.js';
import { galeraCluster, type GaleraCluster } from '../../support/galera.js';
import { requireService, TEST_REDIS_URL } from '../../support/services.js';
import { readModelsBeforeAndAfterRebuild } from '../faults/read-models-after-rebuild.js';

/**
 * A flash sale on the 3-node cluster through HAProxy, with an in-process server and the shared Redis;
 * mid-sale the writer node is killed with SIGKILL. Then: every confirm a buyer was told of is stored
 * and in their reservations, no seat is sold twice, the log has no gap or duplicate position,
 * bookings flow again within 10 s of the kill, the failover costs 503s with Retry-After and never a
 * 500; the killed node rejoins and catches up, and killing the new writer passes the same checks.
 */
describe('the writer killed mid-sale (3-node Galera, HAProxy, an in-process server, Redis)', function () {
  this.timeout(240_000);
  let galera: GaleraCluster;
  let sale: DatabaseSale;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let baseUrl: string;
  const runs: FaultRun[] = [];
  // a database (and so a Redis namespace) of this suite's own on the cluster the Galera suites share
  const database = `onsale_${randomBytes(4).toString('hex')}`;

  before(async function () {
    await requireService(this, 'redis');
    galera = await galeraCluster(this);
    sale = await prepareDatabaseSale(
      { port: Number(new URL(galera.writerUrl).port), sql: (statement) => galera.sql(0, statement) },
      // seats enough that the first kill's run cannot sell out what the second one buys, and buyers
      // enough that none has more reservations than the 500 newest that my-reservations lists
      { redisUrl: TEST_REDIS_URL, buyers: 24, seats: 8000, database },
    );
    server = await startServer(loadConfig({ ...sale.env, PORT: '0', HOST: '127.0.0.1' }));
    baseUrl = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server?.close();
    // Whatever happened, the next suite finds three nodes.
    for (const node of killedNodes.get(galera) ?? []) await galera?.start(node).catch(() => undefined);
    await galera?.sql(0, `DROP DATABASE IF EXISTS \`${database}\``).catch(() => undefined);
  });

  for (const which of ['first', 'second'] as const) {
    it(`when the ${which} writer is killed mid-sale, then nothing confirmed is lost, the log stays gapless and bookings resume within 10 s`, async () => {
      const writerBefore = await galera.writer();
      const run = await runFault({
        fault: writerKill,
        target: galera,
        baseUrl,
        showId: sale.showId,
        seats: sale.seats,
        buyers: sale.buyers,
        beforeSeconds: 3,
        faultSeconds: 0,
        afterSeconds: 8,
      });
      runs.push(run);
      const summary = summarize(run);
      const report = JSON.stringify(summary);
      if (process.env.GALERA_VERBOSE) console.log(report);

      expect(await galera.writer(), 'the writer moved').to.not.equal(writerBefore);
      expect(summary.statuses['500'], report).to.equal(undefined);
      expect(summary.statuses['0'], report).to.equal(undefined);
      expect(summary.unavailableWithoutRetryAfter, report).to.equal(0);
      expect(summary.perSecond.before, report).to.be.greaterThan(0);
      // the fault heals itself: from the kill to the first confirmed booking after it
      expect(summary.recoverySeconds, report).to.be.a('number').and.below(10);
      expect(summary.perSecond.after, report).to.be.greaterThan(0);

      const inspect = sale.inspect();
      try {
        const check = await checkSale(
          inspect,
          baseUrl,
          sale.showId,
          sale.buyers,
          runs.flatMap((r) => r.confirms),
        );
        expect(check, report).to.deep.include(CLEAN_SALE);
        const positions = (await inspect('events').orderBy('position').pluck('position')).map(Number);
        expect(positions, 'the log: 1..n, no gap, no duplicate').to.deep.equal(Array.from({ length: positions.length }, (_, i) => i + 1));
        expect(Number((await inspect('event_sequence').first('last')).last)).to.equal(positions.length);
      } finally {
        await inspect.destroy();
      }

      // the killed node rejoins and catches up with the log
      const killed = killedNodes.get(galera)!.at(-1)!;
      await galera.start(killed);
      const count = async (node: number) =>
        (
          await galera.sql<{ n: number }[]>(node, `SET STATEMENT wsrep_sync_wait = 1 FOR SELECT COUNT(*) AS n FROM \`${database}\`.events`)
        )[0]!.n;
      expect(await count(killed), `node ${killed} caught up`).to.equal(await count(0));
      expect(await galera.status()).to.not.match(/ down /);
    });
  }

  it('when the sale is over, then the projections agree with a rebuild from the log', async function () {
    if (runs.length === 0) this.skip();
    await server?.close();
    server = undefined;
    const { live, rebuilt } = await readModelsBeforeAndAfterRebuild(sale.env);
    expect(Object.values(live).flat()).to.have.length.above(runs.flatMap((r) => r.confirms).length);
    expect(live).to.deep.equal(rebuilt);
  });
});
