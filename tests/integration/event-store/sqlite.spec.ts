import { expect } from 'chai';
import type { Knex } from 'knex';
import { openSqlite } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { hashClaimValue } from '../../../src/infrastructure/event-store/claim-hash.js';
import { SqliteEventStore } from '../../../src/infrastructure/event-store/sqlite/sqlite-event-store.js';
import { uniqueName } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { event, eventStoreContract } from './event-store.contract.js';

const dir = tempDataDir();
const file = `${dir.dir}/onsale.sqlite`;
const connections: Knex[] = [];

/** Each store gets its own knex (own connection) on one file, like separate processes would. */
async function connect(): Promise<Knex> {
  const knex = openSqlite(file);
  connections.push(knex);
  if (connections.length === 1) await migrateToLatest(knex);
  return knex;
}

eventStoreContract('SQLite', async () => ({
  open: async (options) => new SqliteEventStore(await connect(), options),
  teardown: async () => {
    for (const knex of connections.splice(0)) await knex.destroy();
    dir.remove();
  },
  gapless: true,
  shared: true,
}));

describe('SQLite event store schema', () => {
  it('when a value is claimed, then the claims table holds its sha256 and not the value', async () => {
    const extra = tempDataDir();
    const knex = openSqlite(`${extra.dir}/claims.sqlite`);
    try {
      await migrateToLatest(knex);
      const store = new SqliteEventStore(knex);
      const value = `${uniqueName('ada')}@example.com`;
      await store.append(uniqueName('member'), [event()], 'no_stream', { claims: [{ scope: 'member-email', value }] });
      const rows = await knex('claims').select('scope', 'value_hash');
      expect(rows).to.deep.equal([{ scope: 'member-email', value_hash: hashClaimValue(value) }]);
      expect(JSON.stringify(rows)).not.to.contain(value);
      await store.close();
    } finally {
      await knex.destroy();
      extra.remove();
    }
  });
});
