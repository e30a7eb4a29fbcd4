import { expect } from 'chai';
import { SHOWS_PROJECTION } from '../../../src/application/booking/read-models.js';
import { ShowQueries } from '../../../src/projections/catalog/show.queries.js';
import { OPEN_HOLDS, SHOWS, showsProjection } from '../../../src/projections/catalog/shows.projection.js';
import { liveTables } from '../../../src/projections/table-names.js';
import { backendKinds, type Backend } from './backends.js';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');

for (const kind of backendKinds) {
  describe(`whether a show is sold out, from the shows read model (${kind.name})`, () => {
    let backend: Backend;
    afterEach(async () => backend?.teardown());

    it('when sold and held leave tickets, then it is not, from one read; when holds fill it, then it is until they pass their deadline', async function () {
      backend = await kind.open(this);
      const { knex } = await backend.connect();
      const tables = liveTables(SHOWS_PROJECTION);
      await showsProjection(undefined as never).createTables(knex, tables);
      const show = (id: string, sold: number, held: number) => ({
        show_id: id,
        title: id,
        venue: 'Arena',
        starts_at: '2030-02-01T20:00:00.000Z',
        sales_open_at: '2029-12-01T00:00:00.000Z',
        max_per_member: 4,
        currency: 'EUR',
        capacity: 4,
        sold,
        held,
        definition: '{}',
        position: 1,
      });
      await knex(tables(SHOWS)).insert([show('left', 2, 1), show('held-full', 2, 2), show('sold-full', 4, 0)]);
      const hold = (id: string, quantity: number, expiresAt: number) => ({
        hold_id: id,
        part: 'p',
        show_id: 'held-full',
        member_id: 'm',
        quantity,
        expires_at: expiresAt,
      });
      await knex(tables(OPEN_HOLDS)).insert([hold('h1', 1, NOW + 60_000), hold('h2', 1, NOW + 120_000)]);
      let now = NOW;
      const queries = new ShowQueries(knex, undefined as never, { now: () => new Date(now) });
      const statements: string[] = [];
      knex.on('query', (query: { sql: string }) => statements.push(query.sql));

      expect(await queries.soldOut('left')).to.equal(false);
      expect(statements, 'one read while sold and held leave some').to.have.length(1);
      expect(await queries.soldOut('sold-full')).to.equal(true);
      expect(await queries.soldOut('held-full')).to.equal(true);
      now = NOW + 90_000; // h1's deadline passed: its ticket counts as left
      expect(await queries.soldOut('held-full')).to.equal(false);
      expect(await queries.soldOut('no-such-show')).to.equal(false);
    });
  });
}
