import { expect } from 'chai';
import { incomingValue } from '../../../src/infrastructure/projections/engine/incoming-value.js';
import { insertRows } from '../../../src/projections/insert-rows.js';
import { backendKinds, type Backend } from './backends.js';

for (const kind of backendKinds) {
  describe(`projection SQL helpers: ${kind.name}`, function () {
    let backend: Backend;

    beforeEach(async function () {
      backend = await kind.open(this);
    });

    afterEach(async () => backend?.teardown());

    it('when 5,000 rows are inserted, then all arrive, past SQLite compound-select and parameter limits', async () => {
      const { knex } = await backend.connect();
      await knex.schema.createTable('many', (t) => {
        t.integer('id').primary();
        t.string('a', 20);
        t.integer('b');
        t.integer('c');
        t.integer('d');
        t.integer('e');
        t.integer('f');
        t.integer('g');
      });
      const rows = Array.from({ length: 5000 }, (_, id) => ({ id, a: `row-${id}`, b: id * 2, c: 1, d: 2, e: 3, f: 4, g: 5 }));
      await knex.transaction((trx) => insertRows(trx, 'many', rows));
      const [{ n, sum }] = await knex('many').select(knex.raw('count(*) as n, sum(b) as sum'));
      expect([Number(n), Number(sum)]).to.deep.equal([5000, 4999 * 5000]);
    });

    it('when an upsert adds the incoming value, then existing rows are summed and new ones inserted', async () => {
      const { knex } = await backend.connect();
      await knex.schema.createTable('sums', (t) => {
        t.string('k', 10).primary();
        t.integer('n');
      });
      await knex('sums').insert({ k: 'a', n: 5 });
      await knex('sums')
        .insert([
          { k: 'a', n: 2 },
          { k: 'b', n: 3 },
        ])
        .onConflict('k')
        .merge({ n: knex.raw(`?? + ${incomingValue(knex, 'n')}`, ['sums.n']) });
      expect((await knex('sums').orderBy('k')).map((row) => ({ ...row }))).to.deep.equal([
        { k: 'a', n: 7 },
        { k: 'b', n: 3 },
      ]);
    });
  });
}
