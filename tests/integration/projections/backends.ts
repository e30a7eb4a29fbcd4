import type { Knex } from 'knex';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { openMysql, openSqlite } from '../../../src/infrastructure/database/knex.js';
import { migrateToLatest } from '../../../src/infrastructure/database/migrate.js';
import type { EventStoreOptions } from '../../../src/infrastructure/event-store/event-store-options.js';
import { MysqlEventStore } from '../../../src/infrastructure/event-store/mysql/mysql-event-store.js';
import { SqliteEventStore } from '../../../src/infrastructure/event-store/sqlite/sqlite-event-store.js';
import { createTestDatabase, requireService } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';

export interface Connection {
  knex: Knex;
  eventStore: EventStore;
}

/** One fresh database; every connect() is a separate pool on it, as another process would have. */
export interface Backend {
  connect(options?: EventStoreOptions): Promise<Connection>;
  teardown(): Promise<void>;
}

export interface BackendKind {
  name: string;
  open(context: Mocha.Context): Promise<Backend>;
}

export const backendKinds: BackendKind[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = tempDataDir();
      return tracked(
        async () => openSqlite(`${dir.dir}/onsale.sqlite`),
        async (knex, options) => new SqliteEventStore(knex, options),
        async () => dir.remove(),
      );
    },
  },
  {
    name: 'MySQL/MariaDB',
    open: async (context) => {
      await requireService(context, 'mysql');
      const database = await createTestDatabase('onsale_proj');
      return tracked(
        // production's acquire bound (MYSQL_ACQUIRE_TIMEOUT_MS' default): a query asked for while a test destroys
        // the pool (a holder's death) is never served by tarn, and knex's own default waits 60 s for it
        async () => openMysql(database.url, 6, { acquireMs: 3000 }),
        (knex, options) => MysqlEventStore.open(knex, { flushers: 2, ...options }),
        () => database.drop(),
      );
    },
  },
];

function tracked(
  openKnex: () => Promise<Knex>,
  openStore: (knex: Knex, options?: EventStoreOptions) => Promise<EventStore>,
  drop: () => Promise<void>,
): Backend {
  const connections: Connection[] = [];
  return {
    async connect(options) {
      const knex = await openKnex();
      if (connections.length === 0) await migrateToLatest(knex);
      const connection = { knex, eventStore: await openStore(knex, options) };
      connections.push(connection);
      return connection;
    },
    async teardown() {
      for (const { knex, eventStore } of connections.splice(0)) {
        await eventStore.close().catch(() => undefined);
        await knex.destroy().catch(() => undefined);
      }
      await drop();
    },
  };
}
