import knexFactory, { type Knex } from 'knex';
import type { Fault } from './fault.js';

/** What the database faults need of a MariaDB server of the run's own (tests/support/private-mariadb.ts). */
export interface MariadbUnderTest {
  port: number;
  sql(statement: string): Promise<unknown>;
  kill(): Promise<void>;
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  /** The database user onsale connects as: read_only and max_connections spare root. */
  user: string;
}

/** SIGKILL, then started again on the same data (a crash and a restart; InnoDB recovers). */
export const dbKill: Fault<MariadbUnderTest> = {
  name: 'db-kill',
  description: 'mariadbd is killed (SIGKILL) and started again on the same data',
  inject: (db) => db.kill(),
  heal: (db) => db.start(),
};

/** SIGSTOP / SIGCONT: sockets stay open and nothing answers (a frozen or partitioned node). */
export const dbStall: Fault<MariadbUnderTest> = {
  name: 'db-stall',
  description: 'mariadbd is stopped (SIGSTOP): connections open, no answers; then continued (SIGCONT)',
  inject: async (db) => db.pause(),
  heal: async (db) => db.resume(),
};

/** `read_only=1`: what a demoted primary looks like; reads go on, writes are refused. */
export const dbReadOnly: Fault<MariadbUnderTest> = {
  name: 'db-readonly',
  description: 'SET GLOBAL read_only = 1, later 0',
  inject: async (db) => void (await db.sql('SET GLOBAL read_only = 1')),
  heal: async (db) => void (await db.sql('SET GLOBAL read_only = 0')),
};

/** Root's own connection for the length of a fault, so that root is never refused a connection itself. */
const sessions = new WeakMap<MariadbUnderTest, Knex>();

/** max_connections down to 1 and onsale's connections killed: every new connection gets error 1040. */
export const dbConnections: Fault<MariadbUnderTest> = {
  name: 'db-connections',
  description: "SET GLOBAL max_connections = 1 and onsale's connections killed, later max_connections = 151",
  inject: async (db) => {
    const root = knexFactory({
      client: 'mysql2',
      connection: { host: '127.0.0.1', port: db.port, user: 'root' },
      pool: { min: 1, max: 1 },
    });
    sessions.set(db, root);
    await root.raw('SET GLOBAL max_connections = 1');
    const [threads] = (await root.raw('SELECT id FROM information_schema.processlist WHERE user = ?', [db.user])) as [{ id: number }[]];
    for (const { id } of threads) await root.raw(`KILL CONNECTION ${Number(id)}`).catch(() => undefined);
  },
  heal: async (db) => {
    const root = sessions.get(db)!;
    try {
      await root.raw('SET GLOBAL max_connections = 151');
    } finally {
      sessions.delete(db);
      await root.destroy();
    }
  },
};

export const DATABASE_FAULTS = [dbKill, dbStall, dbReadOnly, dbConnections];
