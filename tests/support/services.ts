import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import knexFactory, { type Knex } from 'knex';
import { mysqlConnectionOptions } from '../../src/infrastructure/database/mysql-connection.js';

/** MariaDB and Redis of the machine (CI has both); overridable for other set-ups. */
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const availability = new Map<string, Promise<string | undefined>>();

/**
 * Skips the calling suite when a service is missing, saying so; under CI=true a missing service
 * fails the suite instead, so that CI never passes by skipping.
 */
export async function requireService(context: Mocha.Context, service: 'mysql' | 'redis'): Promise<void> {
  if (!availability.has(service)) availability.set(service, probe(service));
  const problem = await availability.get(service);
  if (!problem) return;
  if (process.env.CI === 'true') throw new Error(`${service} is required under CI=true but is not reachable: ${problem}`);
  console.warn(`      (skipped: ${service} is not reachable at ${service === 'mysql' ? TEST_MYSQL_URL : TEST_REDIS_URL}: ${problem})`);
  context.skip();
}

async function probe(service: 'mysql' | 'redis'): Promise<string | undefined> {
  try {
    if (service === 'redis') {
      const redis = new Redis(TEST_REDIS_URL, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: 1000,
      });
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    } else {
      const knex = knexFactory({
        client: 'mysql2',
        connection: mysqlConnection(TEST_MYSQL_URL),
        pool: { min: 0, max: 1 },
        acquireConnectionTimeout: 2000,
      });
      try {
        await knex.raw('select 1');
      } finally {
        await knex.destroy();
      }
    }
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh MariaDB database of its own, so that test runs never collide. */
export async function createTestDatabase(prefix = 'onsale_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'mysql2', connection: mysqlConnection(TEST_MYSQL_URL), pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.destroy();
  }
  const url = `${TEST_MYSQL_URL.replace(/\/$/, '')}/${name}`;
  return {
    name,
    url,
    drop: async () => {
      const dropper = knexFactory({ client: 'mysql2', connection: mysqlConnection(TEST_MYSQL_URL), pool: { min: 0, max: 1 } });
      try {
        await dropper.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await dropper.destroy();
      }
    },
  };
}

function mysqlConnection(url: string): Knex.MySql2ConnectionConfig {
  const options = { ...mysqlConnectionOptions(url), database: new URL(url).pathname.replace(/^\//, '') || undefined };
  return options as Knex.MySql2ConnectionConfig;
}

/** A unique name for keys, shows and streams of one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}
