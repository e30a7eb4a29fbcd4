import type { RedisClient } from '../redis/redis-client.js';
import { pino } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../application/ports/event-store.js';
import { TOKENS } from '../../application/tokens.js';
import { loadConfig, type Config } from '../config/config.js';
import { buildContainer } from '../container.js';
import type { Knex } from '../database/knex.js';
import { createLogger } from '../logging/logger.js';

/**
 * Runs `action` with the server's container (same env vars, schema brought up to date) without
 * starting its background work, then closes the stores. Logs (warn and up unless LOG_LEVEL says)
 * go to stderr.
 */
export async function withContainer<T>(action: (container: DependencyContainer, config: Config) => Promise<T>): Promise<T> {
  // a rebuild's statements may take long: no statement timeout unless asked for
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    MYSQL_STATEMENT_TIMEOUT_MS: process.env.MYSQL_STATEMENT_TIMEOUT_MS ?? '0',
    // nor a short bound on silent sessions: a rebuild may think long between statements
    MYSQL_SILENT_SESSION_TIMEOUT_S: process.env.MYSQL_SILENT_SESSION_TIMEOUT_S ?? '0',
  });
  // Logs go to stderr: stdout carries the command's output.
  const container = await buildContainer(config, createLogger(config.LOG_LEVEL, pino.destination(2)));
  try {
    return await action(container, config);
  } finally {
    await closeStores(container);
  }
}

/** Closes what a container opened without starting its background work: the event store, Redis, the SQL pool. */
export async function closeStores(container: DependencyContainer): Promise<void> {
  await container.resolve<EventStore>(TOKENS.EventStore).close();
  if (container.isRegistered(TOKENS.Redis)) container.resolve<RedisClient>(TOKENS.Redis).disconnect();
  await container.resolve<Knex>(TOKENS.Knex).destroy();
}
