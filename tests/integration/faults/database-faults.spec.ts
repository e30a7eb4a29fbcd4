import { expect } from 'chai';
import { DATABASE_FAULTS } from '../../../bench/chaos/database-faults.js';
import { prepareDatabaseSale } from '../../../bench/chaos/database-sale.js';
import { summarize } from '../../../bench/chaos/fault-report.js';
import { runFault } from '../../../bench/chaos/fault-run.js';
import { checkSale, CLEAN_SALE } from '../../../bench/chaos/sale-check.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { startServer } from '../../../src/infrastructure/server.js';
import { startPrivateMariadb } from '../../support/private-mariadb.js';
import { startPrivateRedis } from '../../support/private-redis.js';
import { readModelsBeforeAndAfterRebuild } from './read-models-after-rebuild.js';

/** Faults that take the database away from every request: readiness must say so. */
const UNREACHABLE = new Set(['db-kill', 'db-stall']);

/**
 * The database faults one at a time under 24 concurrent buyers (none with more than the 500 reservations my-reservations lists), on a MariaDB of the test's own
 * (a user of its own, so that read_only and max_connections bite) and a redis-server of its own (never
 * the shared 3306/6379 servers), with an in-process server: honest 503s with Retry-After, no 500, no hang, nothing confirmed lost, no seat sold
 * twice, and bookings flowing again soon after the database returns, without a restart.
 */
describe('database faults under concurrent buyers (a private MariaDB and Redis, an in-process server)', function () {
  this.timeout(120_000);

  for (const fault of DATABASE_FAULTS) {
    it(`when ${fault.description}, then every answer is honest and nothing confirmed is lost`, async function () {
      const redis = await startPrivateRedis(this);
      const db = await startPrivateMariadb(this).catch(async (error: unknown) => {
        await redis.stop();
        throw error;
      });
      try {
        const sale = await prepareDatabaseSale(db, { redisUrl: redis.url, buyers: 24, seats: 6000 });
        const server = await startServer(loadConfig({ ...sale.env, PORT: '0', HOST: '127.0.0.1' }));
        let closing: Promise<void> | undefined;
        const closeServer = () => (closing ??= server.close());
        const baseUrl = `http://127.0.0.1:${server.port}`;
        const inspect = sale.inspect();
        try {
          const run = await runFault({
            fault,
            target: { ...db, user: sale.user },
            baseUrl,
            showId: sale.showId,
            seats: sale.seats,
            buyers: sale.buyers,
            beforeSeconds: 2,
            faultSeconds: 5,
            afterSeconds: 5,
          });
          const summary = summarize(run);
          const report = JSON.stringify(summary);
          const check = await checkSale(inspect, baseUrl, sale.showId, sale.buyers, run.confirms);

          expect(summary.statuses['500'], report).to.equal(undefined);
          expect(summary.statuses['0'], report).to.equal(undefined);
          expect(summary.slowestMs, report).to.be.below(10_000);
          const { injected, healed } = run.marks;
          const unavailable = run.answers.filter((a) => a.status === 503 && a.at >= injected && a.at <= healed + 1000);
          expect(unavailable.length, report).to.be.greaterThan(0);
          expect(summary.unavailableWithoutRetryAfter, report).to.equal(0);
          expect(new Set(run.answers.filter((a) => a.status === 503).map((a) => a.code))).to.include('STORE.UNAVAILABLE');

          expect(summary.perSecond.before, report).to.be.greaterThan(0);
          expect(summary.recoverySeconds, report).to.be.a('number').and.below(5);
          expect(summary.liveFailures, report).to.equal(0);
          // the seat map stays on screen: fresh while reads work, else the last good copy marked stale
          // (out of connections, reads on a connection the pool kept, or a cached map, are still fresh)
          expect(summary.seatMapDuring.failed, report).to.equal(0);
          if (UNREACHABLE.has(fault.name)) {
            expect(summary.seatMapDuring.stale, report).to.be.greaterThan(0);
            const probesDuring = run.probes.filter((p) => p.path === '/health/ready' && p.at > injected + 1000 && p.at < healed);
            expect(
              probesDuring.map((p) => p.status),
              report,
            ).to.include(503);
            expect(summary.readyAgainSeconds, report).to.be.a('number').and.at.most(1.5);
          }

          expect(check, report).to.deep.include(CLEAN_SALE);
          expect(check.stored).to.be.at.least(run.confirms.length);

          // background work came back by itself: the read models are what a rebuild from the log makes
          await closeServer();
          const { live, rebuilt } = await readModelsBeforeAndAfterRebuild(sale.env);
          expect(Object.values(live).flat()).to.have.length.above(run.confirms.length);
          expect(live).to.deep.equal(rebuilt);
        } finally {
          await inspect.destroy();
          await closeServer();
        }
      } finally {
        await db.remove();
        await redis.stop();
      }
    });
  }
});
