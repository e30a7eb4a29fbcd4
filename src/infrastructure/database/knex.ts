import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type { Knex };

export interface DatabaseTarget {
  /** mysql://user:pass@host:port/database, or undefined for the embedded SQLite file. */
  mysqlUrl?: string;
  dataDir: string;
  poolSize?: number;
}

/** Opens the SQL database: MySQL/MariaDB when a URL is given, else SQLite (WAL) in `dataDir`. */
export function openDatabase(target: DatabaseTarget): Knex {
  if (target.mysqlUrl) return openMysql(target.mysqlUrl, target.poolSize ?? 16);
  mkdirSync(target.dataDir, { recursive: true });
  return openSqlite(path.join(target.dataDir, 'onsale.sqlite'));
}

export function openMysql(url: string, poolSize = 16): Knex {
  const parsed = new URL(url);
  return knexFactory({
    client: 'mysql2',
    connection: {
      host: parsed.hostname,
      port: Number(parsed.port || 3306),
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
      database: parsed.pathname.replace(/^\//, '') || 'onsale',
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: false,
      timezone: 'Z',
    },
    pool: { min: 0, max: poolSize },
  });
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

/** Creates the database named in a MySQL URL when it does not exist yet. */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.replace(/^\//, '') || 'onsale';
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`MYSQL_URL names an unusual database "${name}"`);
  parsed.pathname = '/mysql';
  const admin = openMysql(parsed.toString(), 1);
  try {
    await admin.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.destroy();
  }
}

export function isMysql(knex: Knex): boolean {
  return knex.client.config.client === 'mysql2';
}
