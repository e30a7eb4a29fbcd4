import knexFactory, { type Knex } from 'knex';
import { seedSale } from '../../src/infrastructure/cli/seed.command.js';
import { loadConfig } from '../../src/infrastructure/config/config.js';
import type { Buyer } from './buyers.js';

/** The MariaDB server a sale runs on: the run's own, so that it may be killed, stalled and reconfigured. */
export interface SaleServer {
  port: number;
  sql(statement: string): Promise<unknown>;
}

export interface DatabaseSale {
  /** The environment onsale runs with (a user of its own: read_only and max_connections spare root). */
  env: Record<string, string>;
  user: string;
  showId: string;
  seats: string[];
  buyers: Buyer[];
  /** Root's view of the sale's database, for checks. */
  inspect(): Knex;
}

const USER = 'onsale';

/**
 * A database and user for onsale on `server`, a reserved show on sale and `buyers` members signed in.
 * `database` (default `onsale`): a name of its own where the server is shared (the Galera suites'
 * cluster); the name also keeps the run's Redis namespace apart.
 */
export async function prepareDatabaseSale(
  server: SaleServer,
  options: {
    redisUrl: string;
    buyers: number;
    seats: number;
    database?: string;
    /** Where onsale reaches the server (default 127.0.0.1; ops/hosts' gateway for app hosts in namespaces). */
    address?: string;
    /** Instead of REDIS_URL: e.g. REDIS_CLUSTER_NODES. */
    redisEnv?: Record<string, string>;
    /** A queued show (the waiting room) instead of a plain reserved one. */
    queue?: { admitPerSecond: number; maxActive: number };
  },
): Promise<DatabaseSale> {
  const database = options.database ?? 'onsale';
  const address = options.address ?? '127.0.0.1';
  // from the hosts' namespaces the connection comes from their own addresses
  const userHost = address === '127.0.0.1' ? '127.0.0.1' : '%';
  await server.sql(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await server.sql(`CREATE USER IF NOT EXISTS '${USER}'@'${userHost}'`);
  await server.sql(`GRANT ALL ON \`${database}\`.* TO '${USER}'@'${userHost}'`);
  const env = {
    MYSQL_URL: `mysql://${USER}@${address}:${server.port}/${database}`,
    ...(options.redisEnv ?? { REDIS_URL: options.redisUrl }),
    JWT_SECRET: 'chaos-run-secret-of-at-least-32-characters!',
    HOLD_TTL_SECONDS: '120',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  };
  const seeded = await seedSale(loadConfig(env), {
    members: options.buyers,
    shows: [options.queue ? 'reserved-queue' : 'reserved'],
    ...options.queue,
    seats: options.seats,
    // a buyer may buy many seats, one at a time: the run measures faults, not the per-member limit
    maxTicketsPerMember: options.seats,
    concurrency: 4,
  });
  const show = seeded.shows[0]!;
  return {
    env,
    user: USER,
    showId: show.id,
    seats: show.seats,
    buyers: seeded.members.map((member) => ({ id: member.id, token: member.accessToken })),
    inspect: () =>
      knexFactory({
        client: 'mysql2',
        connection: { host: '127.0.0.1', port: server.port, user: 'root', database },
        pool: { min: 0, max: 1 },
      }),
  };
}
