import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { mysqlConnectionOptions, type MysqlConnectionOptions } from './mysql-connection.js';
import { poolIdleMs, silentSessionSql } from './silent-session.js';
import { boundStatements } from './statement-timeout.js';

export type { Knex };
export { ensureMysqlDatabase } from './ensure-mysql-database.js';

export interface DatabaseTarget {
  /** mysql://user:pass@host:port/database, or undefined for the embedded SQLite file. */
  mysqlUrl?: string;
  dataDir: string;
  poolSize?: number;
  timeouts?: DatabaseTimeouts;
}

/** Bounded waits on MySQL/MariaDB (MYSQL_*_TIMEOUT_MS); an absent one waits as long as the driver does. */
export interface DatabaseTimeouts {
  /** A new connection's TCP connect and handshake. */
  connectMs?: number;
  /** A free connection from the pool. */
  acquireMs?: number;
  /** Each statement's answer (client-side; not for migrations and rebuilds, which may take long). */
  statementMs?: number;
  /** A session of ours silent this long is ended by the server, its transaction rolled back (silent-session.ts). */
  silentSessionS?: number;
}

/** Opens the SQL database: MySQL/MariaDB when a URL is given, else SQLite (WAL) in `dataDir`. */
export function openDatabase(target: DatabaseTarget): Knex {
  if (target.mysqlUrl) return openMysql(target.mysqlUrl, target.poolSize ?? 16, target.timeouts);
  mkdirSync(target.dataDir, { recursive: true });
  return openSqlite(path.join(target.dataDir, 'onsale.sqlite'));
}

export function openMysql(url: string, poolSize = 16, timeouts: DatabaseTimeouts = {}): Knex {
  const { connectMs, acquireMs, statementMs, silentSessionS } = timeouts;
  const connection = { ...mysqlConnectionOptions(url), ...(connectMs && { connectTimeout: connectMs }) };
  const pool: Knex.PoolConfig = { min: 0, max: poolSize };
  if (silentSessionS) pool.idleTimeoutMillis = poolIdleMs(silentSessionS);
  if (statementMs || silentSessionS) {
    pool.afterCreate = (raw: Parameters<typeof boundStatements>[0], done: (error: Error | null, conn: unknown) => void) => {
      const conn = statementMs ? boundStatements(raw, statementMs) : raw;
      if (!silentSessionS) return done(null, conn);
      conn.query({ sql: silentSessionSql(silentSessionS, statementMs) }, undefined, (error) => done(error, conn));
    };
  }
  return knexOnMysql(connection, pool, acquireMs);
}

/** A knex on mysql2 with these connection options (knex types them more narrowly than mysql2 does). */
export function knexOnMysql(connection: MysqlConnectionOptions, pool: Knex.PoolConfig, acquireMs?: number): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: connection as Knex.MySql2ConnectionConfig,
    pool,
    ...(acquireMs && { acquireConnectionTimeout: acquireMs }),
    log: quietAboutFaults,
  });
}

/** Knex prints each failed connection attempt; they are counted and answered 503 (docs/failures.md), not printed. */
const quietAboutFaults = {
  warn: (message: unknown) => {
    if (!/Acquire connection error|Connection Error/.test(String(message))) console.warn(message);
  },
};

/** The mysql2 options a knex was opened with, password included: knex hides it from enumeration, so a spread loses it. */
export function mysqlOptionsOf(knex: Knex): MysqlConnectionOptions {
  const connection = knex.client.config.connection as MysqlConnectionOptions;
  if (typeof connection !== 'object') throw new Error('expected knex connection settings as an object');
  return { ...connection, password: connection.password };
}

export function openSqlite(filename: string): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // better-sqlite3 is synchronous: one connection, writes are serialised anyway.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('foreign_keys = ON');
        done(null, conn);
      },
    },
  });
}

export function isMysql(knex: Knex): boolean {
  return knex.client.config.client === 'mysql2';
}
