import { expect } from 'chai';
import type { Knex } from 'knex';
import { IdempotencyPurger } from '../../../src/infrastructure/booking/idempotency-purger.js';
import { SqlIdempotencyStore } from '../../../src/infrastructure/booking/sql-idempotency-store.js';
import { uniqueName } from '../../support/services.js';
import { backendKinds, type Backend } from '../projections/backends.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2030, 0, 1);
const clock = { now: () => new Date(NOW) };
const logger = { warn: () => undefined };

for (const kind of backendKinds) {
  describe(`purging old idempotency answers (${kind.name})`, () => {
    let backend: Backend | undefined;
    let knex: Knex;

    before(async function () {
      backend = await kind.open(this);
      ({ knex } = await backend.connect());
    });
    after(async () => backend?.teardown());
    beforeEach(async () => void (await knex('idempotency_responses').del()));

    /** Answers in `scope` written at the given times. */
    async function written(scope: string, times: number[]): Promise<void> {
      const rows = times.map((at, i) => ({ scope, idempotency_key: `k${i}`, fingerprint: 'f', status: 200, body: 'null', created_at: at }));
      await knex('idempotency_responses').insert(rows);
    }
    const left = async () => (await knex('idempotency_responses').select('created_at')).map((row) => Number(row.created_at)).sort();

    it('when answers are older than the cutoff, then each purge deletes at most a chunk of them and nothing newer', async () => {
      const store = new SqlIdempotencyStore(knex);
      await written(uniqueName('hold'), [...Array.from({ length: 7 }, (_, i) => NOW - 30 * HOUR + i), NOW - HOUR, NOW - HOUR, NOW]);
      const cutoff = NOW - 24 * HOUR;
      await written(uniqueName('hold'), [cutoff]);
      const deleted = [];
      for (let pass = 0; pass < 4; pass++) deleted.push(await store.purgeBefore(cutoff, 3));
      expect(deleted).to.deep.equal([3, 3, 1, 0]);
      expect(await left()).to.deep.equal([cutoff, NOW - HOUR, NOW - HOUR, NOW].sort());
    });

    it('when two processes purge at once, then together they delete every old answer once and keep the rest', async () => {
      await written(
        uniqueName('hold'),
        Array.from({ length: 25 }, (_, i) => NOW - 48 * HOUR + i * 1000),
      );
      await written(uniqueName('confirm'), [NOW - 2 * HOUR, NOW]);
      const purgers = await Promise.all(
        [0, 1].map(async () => {
          const store = new SqlIdempotencyStore((await backend!.connect()).knex);
          return new IdempotencyPurger(store, clock, logger, { retentionMs: 24 * HOUR, chunk: 4, pauseMs: 0 });
        }),
      );
      const deleted = await Promise.all(purgers.map((purger) => purger.purge()));
      expect(deleted[0]! + deleted[1]!).to.equal(25);
      expect(await left()).to.deep.equal([NOW - 2 * HOUR, NOW]);
    });

    it('when the purger runs as a service, then old answers go within its interval and stop() waits for the pass', async () => {
      await written(uniqueName('hold'), [NOW - 25 * HOUR, NOW - 25 * HOUR + 1, NOW]);
      const purger = new IdempotencyPurger(new SqlIdempotencyStore(knex), clock, logger, { retentionMs: 24 * HOUR, intervalMs: 20 });
      purger.start();
      try {
        for (let wait = 0; wait < 100 && (await left()).length > 1; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        await purger.stop();
      }
      expect(await left()).to.deep.equal([NOW]);
    });
  });
}
