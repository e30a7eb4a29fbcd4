import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { Correlation } from '../application/ports/correlation.js';
import { TOKENS } from '../application/tokens.js';
import type { Config } from './config/config.js';
import { ensureMysqlDatabase, openDatabase, type Knex } from './database/knex.js';
import { classifyDatabaseFailure } from './database/database-failure.js';
import { countDatabaseFailure } from './database/database-failure.metrics.js';
import { migrateToLatest } from './database/migrate.js';
import { createEventStore } from './event-store/create-event-store.js';
import { InstrumentedEventStore } from './event-store/instrumented-event-store.js';
import type { ReadinessCheck } from './http/readiness.js';
import { registerAdmission } from './admission/register-admission.js';
import { registerBooking } from './booking/register-booking.js';
import { registerCatalog } from './catalog/register-catalog.js';
import { Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logging/logger.js';
import { currentRequestId } from './logging/request-context.js';
import { registerMembers } from './members/register-members.js';
import { registerProjections } from './projections/register-projections.js';
import { createRateLimiter } from './rate-limit/create-rate-limiter.js';
import { connectRedis } from './redis/connect-redis.js';
import { clusterReady } from './redis/cluster-ready.js';
import { isCluster } from './redis/redis-client.js';
import { systemClock, uuidGenerator } from './system-clock.js';
import { registerMail } from './mail/register-mail.js';
import { registerTickets } from './tickets/register-tickets.js';
import { ClusterErrorTotals } from './http/cluster-error-totals.js';
import { redisNamespace } from './redis/redis-namespace.js';

/**
 * The composition root: the shared parts (config, clock, ids, database, Redis, event store) are
 * chosen here, and every module's adapters by its registrar (`<module>/register-<module>.ts`),
 * called here and nowhere else, in this order: each needs only what is above it.
 *
 * | registrar | needs from above |
 * | --- | --- |
 * | projections | nothing at registration (the read models are listed once the container is complete) |
 * | members | config, database, Redis |
 * | catalogue | clock, event store, Redis (read cache) |
 * | waiting room | the catalogue's sale catalogue (resolved when the admitter starts) |
 * | booking | the catalogue's read cache and show queries, the waiting room's gate |
 * | tickets | database, booking's reservation queries |
 */
export async function buildContainer(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<DependencyContainer> {
  const container = rootContainer.createChildContainer();
  const lifecycle = new Lifecycle();
  const readiness: ReadinessCheck[] = [];
  container.register(TOKENS.Config, { useValue: config });
  container.register(TOKENS.Logger, { useValue: logger });
  container.register(TOKENS.Clock, { useValue: systemClock });
  container.register(TOKENS.Ids, { useValue: uuidGenerator });
  container.register(TOKENS.Lifecycle, { useValue: lifecycle });
  container.register(TOKENS.ReadinessChecks, { useValue: readiness });

  const knex = await openSchema(config);
  container.register(TOKENS.Knex, { useValue: knex });
  readiness.push({ name: config.database, check: () => databaseAnswers(knex) });
  lifecycle.add({ name: 'database', start: () => undefined, stop: () => knex.destroy() });

  // one client for every adapter: a single Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES)
  const redis = connectRedis(config, logger);
  // nothing below may meet a Cluster client that has not read the slot map yet
  if (redis && isCluster(redis)) await clusterReady(redis, config.REDIS_CLUSTER_READY_TIMEOUT_MS, logger);
  if (redis) {
    container.register(TOKENS.Redis, { useValue: redis });
    readiness.push({ name: 'redis', check: async () => void (await redis.ping()) });
    lifecycle.add({ name: 'redis', start: () => undefined, stop: async () => void redis.disconnect() });
  }

  // events appended while a request's work runs carry its id as their correlation id
  const correlation: Correlation = { current: currentRequestId };
  container.register(TOKENS.Correlation, { useValue: correlation });
  const eventStore = new InstrumentedEventStore(await createEventStore({ config, knex, redis, logger }), correlation);
  container.register(TOKENS.EventStore, { useValue: eventStore });
  lifecycle.add({ name: 'event store', start: () => undefined, stop: () => eventStore.close() });
  // the read models' work spreads over a host's workers; the background process (BACKGROUND_WORKER) runs them all
  const home = config.ONSALE_ROLE === 'background' ? undefined : { slot: config.ONSALE_WORKER_SLOT, slots: config.ONSALE_WORKER_SLOTS };
  registerProjections(container, { knex, eventStore, logger, lifecycle, home, batchSize: config.PROJECTION_BATCH_EVENTS });
  container.register(TOKENS.RateLimiter, { useValue: createRateLimiter(redis, config) });
  await registerMembers(container, { config, knex, logger, redis, lifecycle });
  registerCatalog(container, { knex, redis, eventStore, logger, lifecycle });
  registerAdmission(container, { config, redis, logger, lifecycle });
  registerBooking(container, { knex, redis, eventStore, logger, lifecycle });
  registerTickets(container, { knex });
  registerMail(container, { config, knex, lifecycle, logger });
  // the live dashboard's 4xx/5xx: every process's, summed in Redis
  const errorTotals = new ClusterErrorTotals(redis, `onsale:${redisNamespace(config)}:http:errors`);
  container.register(ClusterErrorTotals, { useValue: errorTotals });
  lifecycle.add(errorTotals);

  return container;
}

/** The readiness probe of the database: a fresh `select 1` each time, so that ready follows the database within a probe. */
async function databaseAnswers(knex: Knex): Promise<void> {
  try {
    await knex.raw('select 1');
  } catch (error) {
    const kind = classifyDatabaseFailure(error);
    if (kind) countDatabaseFailure(kind, 'readiness');
    throw error;
  }
}

async function openSchema(config: Config): Promise<Knex> {
  const target = { mysqlUrl: config.MYSQL_URL, dataDir: config.DATA_DIR, poolSize: config.MYSQL_POOL_SIZE };
  if (!config.MYSQL_URL) {
    const knex = openDatabase(target);
    await migrateToLatest(knex);
    return knex;
  }
  await ensureMysqlDatabase(config.MYSQL_URL);
  // migrations may take long on a big database: on connections without the statement timeout
  const migrator = openDatabase({ ...target, poolSize: 2 });
  try {
    await migrateToLatest(migrator);
  } finally {
    await migrator.destroy();
  }
  const timeouts = {
    connectMs: config.MYSQL_CONNECT_TIMEOUT_MS,
    acquireMs: config.MYSQL_ACQUIRE_TIMEOUT_MS,
    statementMs: config.MYSQL_STATEMENT_TIMEOUT_MS,
    silentSessionS: config.MYSQL_SILENT_SESSION_TIMEOUT_S,
  };
  return openDatabase({ ...target, timeouts });
}
