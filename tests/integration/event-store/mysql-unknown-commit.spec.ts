import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { DatabaseFailure } from '../../../src/infrastructure/database/database-failure.js';
import { openMysql } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { MysqlEventStore } from '../../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { createTestDatabase, requireService, uniqueName, type TestDatabase } from '../../support/services.js';
import { event } from './event-store.contract.js';

type Trouble = 'answer lost after commit' | 'lost before commit' | 'read-back fails too';

const lost = () => Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' });

/**
 * The connection to the append pool dies around the group commit's COMMIT: the store must find out
 * from the log what happened before it answers, and a retry with the same event ids must get the
 * true outcome. The fault is injected on the store's own writer connections (a proxy), the rest is real.
 */
describe('MySQL event store: a commit whose outcome is unknown', () => {
  let db: TestDatabase;
  let knex: Knex;

  before(async function () {
    await requireService(this, 'mysql');
    db = await createTestDatabase('onsale_es_unknown');
    knex = openMysql(db.url, 2);
    await migrateToLatest(knex);
  });

  after(async () => {
    await knex?.destroy();
    await db?.drop();
  });

  /** A store whose writer connections fail once as `trouble` says, on the statement that commits. */
  async function troubledStore(trouble: Trouble): Promise<MysqlEventStore> {
    const store = await MysqlEventStore.open(knex);
    const writers = (store as unknown as { writers: Pool }).writers;
    const real = writers.getConnection.bind(writers);
    let commits = 0;
    writers.getConnection = async () => {
      const conn = await real();
      const query = async (options: { sql: string }) => {
        if (!/\bCOMMIT\b/.test(options.sql)) return conn.query(options);
        commits++;
        if (commits === 1 && trouble === 'lost before commit') throw lost();
        const result = await conn.query(options);
        if (commits === 1 || trouble === 'read-back fails too') throw lost();
        return result;
      };
      return new Proxy(conn, { get: (target, name) => (name === 'query' ? query : Reflect.get(target, name, target)) }) as PoolConnection;
    };
    writers.getConnection = trouble === 'read-back fails too' ? failingAfterFirst(writers.getConnection) : writers.getConnection;
    return store;
  }

  /** The first connection works as set up; later ones are refused (the database went away). */
  function failingAfterFirst(get: () => Promise<PoolConnection>): () => Promise<PoolConnection> {
    let calls = 0;
    return async () => {
      if (++calls > 1) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return get();
    };
  }

  it('when the answer to COMMIT is lost, then the events read back from the log are the answer, stored once', async () => {
    const store = await troubledStore('answer lost after commit');
    const stream = uniqueName('unknown');
    const result = await store.append(stream, [event(), event()], 'no_stream');
    expect(result.versions).to.deep.equal({ [stream]: 2 });
    const stored = await store.readStream(stream);
    expect(stored.map((e) => e.version)).to.deep.equal([1, 2]);
    expect(result.position).to.equal(stored[1]!.position);
    await store.close();
  });

  it('when the connection is lost before COMMIT arrives, then the read-back finds nothing and writes the batch, once', async () => {
    const store = await troubledStore('lost before commit');
    const stream = uniqueName('unknown');
    const result = await store.append(stream, [event()], 'no_stream');
    expect(result.versions).to.deep.equal({ [stream]: 1 });
    expect(await store.readStream(stream)).to.have.length(1);
    await store.close();
  });

  it('when the log cannot be read back either, then the append fails as outcome_unknown, and the same append retried gets the true outcome', async () => {
    const store = await troubledStore('read-back fails too');
    const stream = uniqueName('unknown');
    const events = [event(), event()];
    const failure = await store.append(stream, events, 'no_stream').catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(DatabaseFailure).and.have.property('databaseFailure', 'outcome_unknown');
    await store.close();

    const healthy = await MysqlEventStore.open(knex);
    const retried = await healthy.append(stream, events, 'no_stream');
    expect(retried.versions).to.deep.equal({ [stream]: 2 });
    expect(await healthy.readStream(stream)).to.have.length(2);
    await healthy.close();
  });
});
