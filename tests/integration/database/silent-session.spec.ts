import { expect } from 'chai';
import type { Knex } from 'knex';
import { openMysql } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { MysqlEventStore } from '../../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { createTestDatabase, requireService, type TestDatabase } from '../../support/services.js';

describe('sessions of ours gone silent (MYSQL_SILENT_SESSION_TIMEOUT_S): a vanished host keeps no lock', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const opened: Knex[] = [];
  const open = (...args: Parameters<typeof openMysql>) => {
    const knex = openMysql(...args);
    opened.push(knex);
    return knex;
  };

  before(async function () {
    await requireService(this, 'mysql');
    db = await createTestDatabase('onsale_silent');
  });

  after(async () => {
    for (const knex of opened) await knex.destroy().catch(() => undefined);
    await db?.drop();
  });

  it('when a session holding a row lock falls silent, then the server ends it within the bound and another session takes the lock', async () => {
    const ours = open(db.url, 2, { silentSessionS: 1 });
    await ours.raw('CREATE TABLE seats_lock_test (id INT PRIMARY KEY)');
    await ours('seats_lock_test').insert({ id: 1 });
    const [[variables]] = await ours.raw('SELECT @@session.wait_timeout AS wait, @@session.net_read_timeout AS net_read');
    expect({ ...variables }).to.deep.equal({ wait: 1, net_read: 1 });
    // a host that locked the row and vanished: its transaction never says another word
    const vanished = await ours.transaction();
    await vanished('seats_lock_test').where({ id: 1 }).forUpdate();
    const other = open(db.url, 1);
    await other.raw('SET SESSION innodb_lock_wait_timeout = 20');
    const startedAt = Date.now();
    await other.transaction(async (trx) => {
      await trx('seats_lock_test').where({ id: 1 }).forUpdate();
    });
    const waitedMs = Date.now() - startedAt;
    expect(waitedMs, 'the lock came free within the bound, not at the 20 s lock wait').to.be.below(4000);
    await vanished.rollback().catch(() => undefined);
  });

  it("when the event store opens its writers' pool, then each writer session carries the bounds", async () => {
    const knex = open(db.url, 2);
    await migrateToLatest(knex);
    const store = await MysqlEventStore.open(knex, { silentSessionS: 7, statementTimeoutMs: 2500 });
    try {
      const writers = (store as unknown as { writers: { query(sql: string): Promise<[Record<string, unknown>[]]> } }).writers;
      const [[row]] = await writers.query(
        'SELECT @@session.wait_timeout AS wait, @@session.net_read_timeout AS net_read, @@session.innodb_lock_wait_timeout AS lock_wait',
      );
      // a lock wait ends when the client's statement timeout gives up on it (2.5 s → 3 s)
      expect({ ...row }).to.deep.equal({ wait: 7, net_read: 7, lock_wait: 3 });
    } finally {
      await store.close();
    }
  });
});
