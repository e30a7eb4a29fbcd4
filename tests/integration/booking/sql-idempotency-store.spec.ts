import { expect } from 'chai';
import type { Knex } from 'knex';
import { idempotent } from '../../../src/application/booking/idempotent.js';
import type { StoredResponse } from '../../../src/application/ports/idempotency-store.js';
import { SqlIdempotencyStore } from '../../../src/infrastructure/booking/sql-idempotency-store.js';
import { uniqueName } from '../../support/services.js';
import { backendKinds, type Backend } from '../projections/backends.js';

const answer = (body: unknown): StoredResponse => ({ fingerprint: 'f'.repeat(43), status: 200, body });
const keys = (count: number, prefix = 'key') => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

for (const kind of backendKinds) {
  describe(`the SQL idempotency store (${kind.name})`, () => {
    let backend: Backend | undefined;
    let knex: Knex;
    let store: SqlIdempotencyStore;
    const statements: string[] = [];
    const count = (verb: 'select' | 'insert') =>
      statements.filter((sql) => sql.startsWith(verb) && sql.includes('idempotency_responses')).length;

    before(async function () {
      backend = await kind.open(this);
      ({ knex } = await backend.connect());
      knex.on('query', (query: { sql: string }) => statements.push(query.sql.trim().toLowerCase()));
      store = new SqlIdempotencyStore(knex);
    });
    after(async () => backend?.teardown());
    beforeEach(() => void statements.splice(0));

    it('when many keys are recalled in one turn, then one SELECT gives each caller its own answer', async () => {
      const scope = uniqueName('hold');
      const other = uniqueName('confirm');
      await Promise.all([
        ...keys(3).map((key) => store.remember(scope, key, answer({ key }))),
        store.remember(other, 'key-0', answer('other')),
      ]);
      statements.splice(0);
      const asked = [...keys(200).map((key) => [scope, key]), [scope, 'key-1'], [other, 'key-0'], [other, 'key-1']];
      const answers = await Promise.all(asked.map(([s, key]) => store.recall(s!, key!)));
      expect(count('select')).to.equal(1);
      expect(answers.slice(0, 3).map((found) => found?.body)).to.deep.equal([{ key: 'key-0' }, { key: 'key-1' }, { key: 'key-2' }]);
      expect(answers.slice(3, 200).every((found) => found === undefined)).to.equal(true);
      expect(answers.slice(200).map((found) => found?.body)).to.deep.equal([{ key: 'key-1' }, 'other', undefined]);
      expect(answers[200]!.body, 'a body of its own for each caller').not.to.equal(answers[1]!.body);
      expect(answers[0]).to.include({ fingerprint: 'f'.repeat(43), status: 200 });
    });

    it('when many answers are remembered in one turn, then one INSERT writes them all, and each caller resolves once its row is there', async () => {
      const scope = uniqueName('hold');
      await Promise.all(
        keys(200).map(async (key, i) => {
          await store.remember(scope, key, { fingerprint: `p${i}`, status: i % 2 ? 200 : 0, body: { i } });
          expect(await knex('idempotency_responses').where({ scope, idempotency_key: key }).first()).to.include({ fingerprint: `p${i}` });
        }),
      );
      expect(count('insert')).to.equal(1);
      const recalled = await Promise.all(keys(200).map((key) => store.recall(scope, key)));
      expect(recalled.map((found) => [found?.status, found?.body])).to.deep.equal(keys(200).map((_, i) => [i % 2 ? 200 : 0, { i }]));
    });

    it('when one batch holds two answers for a key, then the first wins and both callers resolve', async () => {
      const scope = uniqueName('hold');
      await Promise.all([
        store.remember(scope, 'z', answer('first z')),
        store.remember(scope, 'a', answer('first a')),
        store.remember(scope, 'z', answer('second z')),
        store.remember(scope, 'a', answer('second a')),
        store.remember(scope, 'b', answer('b')),
      ]);
      expect(count('insert')).to.equal(1);
      const found = await Promise.all(['z', 'a', 'b'].map((key) => store.recall(scope, key)));
      expect(found.map((each) => each?.body)).to.deep.equal(['first z', 'first a', 'b']);
    });

    it('when a key was remembered in an earlier batch, then a later answer for it changes nothing', async () => {
      const scope = uniqueName('hold');
      await store.remember(scope, 'k', answer('first'));
      await Promise.all([store.remember(scope, 'k', answer('later')), store.remember(scope, 'k2', answer('new'))]);
      const rival = new SqlIdempotencyStore((await backend!.connect()).knex);
      await rival.remember(scope, 'k', answer('from another process'));
      expect((await store.recall(scope, 'k'))?.body).to.equal('first');
      expect((await rival.recall(scope, 'k2'))?.body).to.equal('new');
    });

    it('when a turn brings more than a batch holds, then each statement carries at most that many', async () => {
      const small = new SqlIdempotencyStore(knex, 50);
      const scope = uniqueName('hold');
      await Promise.all(keys(120).map((key) => small.remember(scope, key, answer(key))));
      expect(count('insert')).to.equal(3);
      const found = await Promise.all(keys(120).map((key) => small.recall(scope, key)));
      expect(count('select')).to.equal(3);
      expect(found.map((each) => each?.body)).to.deep.equal(keys(120));
    });

    it('when the database fails a batch, then every caller of that batch is rejected', async () => {
      const { knex: gone } = await backend!.connect();
      await gone.destroy();
      const broken = new SqlIdempotencyStore(gone);
      const results = await Promise.allSettled([
        broken.remember('s', 'a', answer(1)),
        broken.remember('s', 'b', answer(2)),
        broken.recall('s', 'a'),
        broken.recall('s', 'c'),
      ]);
      expect(results.map((result) => result.status)).to.deep.equal(['rejected', 'rejected', 'rejected', 'rejected']);
    });

    it('when requests with Idempotency-Keys arrive together, then their recalls are one SELECT and their answers one INSERT', async () => {
      const scope = uniqueName('hold');
      let runs = 0;
      const send = () =>
        Promise.all(
          keys(100).map((key) =>
            idempotent(store, { scope, key, content: { key } }, async () => {
              runs++;
              return { held: key };
            }),
          ),
        );
      expect(await send()).to.deep.equal(keys(100).map((key) => ({ held: key })));
      expect([count('select'), count('insert')]).to.deep.equal([1, 1]);
      statements.splice(0);
      expect(await send(), 'a retry gets the first answers').to.deep.equal(keys(100).map((key) => ({ held: key })));
      expect([count('select'), count('insert'), runs]).to.deep.equal([1, 0, 100]);
    });
  });
}
