import type { RedisClient } from '../redis/redis-client.js';
import type { DependencyContainer } from 'tsyringe';
import { ShowStates } from '../../application/catalog/show-states.js';
import type { Clock } from '../../application/ports/clock.js';
import type { EventStore } from '../../application/ports/event-store.js';
import { StreamProcessor } from '../../application/stream-processor.js';
import { TOKENS } from '../../application/tokens.js';
import { ShowQueries } from '../../projections/catalog/show.queries.js';
import { SalesQueries } from '../../projections/sales/sales.queries.js';
import type { Config } from '../config/config.js';
import type { Knex } from '../database/knex.js';
import { MemoryReadCache } from '../read-cache/memory-read-cache.js';
import { RedisReadCache } from '../read-cache/redis-read-cache.js';
import { redisNamespace } from '../redis/redis-namespace.js';
import { LocalBroadcast, RedisBroadcast, type Broadcast } from '../broadcast.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logging/logger.js';

export interface CatalogParts {
  knex: Knex;
  redis?: RedisClient;
  eventStore: EventStore;
  logger: Logger;
  lifecycle: Lifecycle;
}

/**
 * The catalogue: the read cache its show list shares with the seat map, the show queries (also
 * the waiting room's sale catalogue), the organizer's sales figures, the shows' states, and the
 * single-stream processor its show commands go through.
 */
export function registerCatalog(container: DependencyContainer, parts: CatalogParts): void {
  const { knex, redis, eventStore } = parts;
  const clock = container.resolve<Clock>(TOKENS.Clock);
  const namespace = redisNamespace(container.resolve<Config>(TOKENS.Config));
  const cache = redis ? new RedisReadCache(redis, namespace) : new MemoryReadCache();
  const shows = new ShowQueries(knex, cache, clock);
  container.register(TOKENS.ReadCache, { useValue: cache });
  container.register(TOKENS.SaleCatalog, { useValue: shows });
  container.register(ShowQueries, { useValue: shows });
  container.register(SalesQueries, { useValue: new SalesQueries(knex) });
  // a show changed by an admin in one process: every process drops its cached state at once
  const changes: Broadcast<string> = redis
    ? new RedisBroadcast(redis, {
        channel: `onsale:${namespace}:shows:changed`,
        encode: (showId) => showId,
        decode: (showId) => showId,
        onError: (err) => parts.logger.warn({ err }, 'show changes: redis error'),
      })
    : new LocalBroadcast();
  parts.lifecycle.add({ name: 'show changes', start: () => undefined, stop: () => changes.close() });
  container.register(TOKENS.ShowStates, { useValue: new ShowStates(eventStore, clock, changes) });
  container.register(StreamProcessor, { useValue: container.resolve(StreamProcessor) });
}
