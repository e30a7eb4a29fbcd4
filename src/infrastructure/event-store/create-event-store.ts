import type { RedisClient } from '../redis/redis-client.js';
import type { EventStore } from '../../application/ports/event-store.js';
import type { Config } from '../config/config.js';
import type { Knex } from '../database/knex.js';
import type { Logger } from '../logging/logger.js';
import { redisNamespace } from '../redis/redis-namespace.js';
import { LocalAppendNotifier, type AppendNotifier } from './append-notifier.js';
import type { Upcasters } from './event-rows.js';
import { KurrentEventStore } from './kurrent/kurrent-event-store.js';
import { MysqlEventStore } from './mysql/mysql-event-store.js';
import { RedisAppendNotifier } from './redis-append-notifier.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

export interface EventStoreParts {
  config: Config;
  knex: Knex;
  redis?: RedisClient;
  logger: Logger;
  upcasters?: Upcasters;
}

/** Chooses the adapter: KurrentDB when EVENTSTORE_URL is set, else the SQL database in use. */
export async function createEventStore(parts: EventStoreParts): Promise<EventStore> {
  const { config, upcasters } = parts;
  const notifier = createNotifier(parts);
  if (config.EVENTSTORE_URL) {
    return KurrentEventStore.connect(config.EVENTSTORE_URL, { upcasters, notifier });
  }
  if (config.database === 'mysql') {
    return MysqlEventStore.open(parts.knex, {
      upcasters,
      notifier,
      cachePositions: config.EVENT_CACHE_POSITIONS,
      statementTimeoutMs: config.MYSQL_STATEMENT_TIMEOUT_MS,
      silentSessionS: config.MYSQL_SILENT_SESSION_TIMEOUT_S,
    });
  }
  return new SqliteEventStore(parts.knex, { upcasters, notifier, cachePositions: config.EVENT_CACHE_POSITIONS });
}

/** Redis hints when Redis is there (one channel per store), else in-process wake-ups only. */
function createNotifier({ config, redis, logger }: EventStoreParts): AppendNotifier {
  if (!redis) return new LocalAppendNotifier();
  const channel = `onsale:${redisNamespace(config)}:events:appended`;
  return new RedisAppendNotifier(redis, { channel, onError: (err) => logger.warn({ err }, 'append notifier: redis error') });
}
