import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
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

/** Root's connections held for the length of a fault (root may use the one connection beyond max_connections). */
const held = new WeakMap<MariadbUnderTest, Connection[]>();

/**
 * Every connection slot taken and onsale's own connections killed: each new connection onsale opens
 * gets error 1040. MariaDB takes no max_connections below 10, so root holds the free slots itself.
 */
export const dbConnections: Fault<MariadbUnderTest> = {
  name: 'db-connections',
  description: "max_connections = 10, every slot held by root and onsale's connections killed; later 151 and released",
  inject: async (db) => {
    const connections: Connection[] = [];
    held.set(db, connections);
    const root = () => createConnection({ host: '127.0.0.1', port: db.port, user: 'root' });
    connections.push(await root());
    await connections[0]!.query('SET GLOBAL max_connections = 10');
    // twice: onsale may win a slot back between the kill and the refill
    for (let round = 0; round < 2; round++) {
      for (let more = 0; more < 20; more++) {
        const connection = await root().catch(() => undefined);
        if (!connection) break;
        connections.push(connection);
      }
      const [threads] = await connections[0]!.query<RowDataPacket[]>('SELECT id FROM information_schema.processlist WHERE user = ?', [
        db.user,
      ]);
      for (const { id } of threads) await connections[0]!.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined);
    }
    for (let more = 0; more < 20; more++) {
      const connection = await root().catch(() => undefined);
      if (!connection) break;
      connections.push(connection);
    }
  },
  heal: async (db) => {
    const connections = held.get(db) ?? [];
    held.delete(db);
    try {
      await connections[0]?.query('SET GLOBAL max_connections = 151');
    } finally {
      await Promise.all(connections.map((connection) => connection.end().catch(() => connection.destroy())));
    }
  },
};

export const DATABASE_FAULTS = [dbKill, dbStall, dbReadOnly, dbConnections];
