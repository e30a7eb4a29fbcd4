import { expect } from 'chai';
import { Redis } from 'ioredis';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { openDatabase } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import { createEventStore } from '../../../src/infrastructure/event-store/create-event-store.js';
import { MysqlEventStore } from '../../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { SqliteEventStore } from '../../../src/infrastructure/event-store/sqlite/sqlite-event-store.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { event } from './contract-support.js';

describe('createEventStore', () => {
  const logger = createLogger('silent');

  it('when no MYSQL_URL is set, then it opens the SQLite store in DATA_DIR', async () => {
    const dir = tempDataDir();
    const config = loadConfig({ DATA_DIR: dir.dir });
    const knex = openDatabase({ dataDir: config.DATA_DIR });
    try {
      await migrateToLatest(knex);
      const store = await createEventStore({ config, knex, logger });
      expect(store).to.be.instanceOf(SqliteEventStore);
      await store.append(uniqueName('s'), [event()], 'no_stream');
      expect(await store.headPosition()).to.equal(1);
      await store.close();
    } finally {
      await knex.destroy();
      dir.remove();
    }
  });

  it('when MYSQL_URL and Redis are given, then a MySQL store wakes waiters of another store through Redis', async function () {
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    const database = await createTestDatabase('onsale_es');
    const config = loadConfig({ MYSQL_URL: database.url });
    const [knexA, knexB] = [openDatabase({ mysqlUrl: database.url, dataDir: '.' }), openDatabase({ mysqlUrl: database.url, dataDir: '.' })];
    const [redisA, redisB] = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    try {
      await migrateToLatest(knexA);
      const writer = await createEventStore({ config, knex: knexA, redis: redisA, logger });
      const reader = await createEventStore({ config, knex: knexB, redis: redisB, logger });
      expect(writer).to.be.instanceOf(MysqlEventStore);
      // The reader polls after 25, 75, 175, 375, 775, 1575, 2575, 3575 ms (and later under load):
      // appended at 2650 ms, only a hint wakes it within the next 900 ms.
      const waiting = reader.waitForEvents(0, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 2650));
      const appended = Date.now();
      await writer.append(uniqueName('s'), [event()], 'no_stream');
      expect(await waiting).to.equal(true);
      expect(Date.now() - appended, 'woken by the Redis hint, not by its poll').to.be.below(600);
      await writer.close();
      await reader.close();
    } finally {
      await knexA.destroy();
      await knexB.destroy();
      redisA.disconnect();
      redisB.disconnect();
      await database.drop();
    }
  });
});
