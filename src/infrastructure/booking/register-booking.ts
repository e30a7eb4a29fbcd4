import type { RedisClient } from '../redis/redis-client.js';
import type { DependencyContainer } from 'tsyringe';
import { BookingProcessor } from '../../application/booking/booking-processor.js';
import { BookingStreams } from '../../application/booking/booking-streams.js';
import { ExpireHoldHandler } from '../../application/booking/expire-hold.handler.js';
import { HoldExpirer } from '../../application/booking/hold-expirer.js';
import { PoolShards } from '../../application/booking/pool-shards.js';
import type { Clock } from '../../application/ports/clock.js';
import type { ReadCache } from '../../application/ports/read-cache.js';
import type { EventStore } from '../../application/ports/event-store.js';
import { noTurns } from '../../application/ports/stream-turns.js';
import { TOKENS } from '../../application/tokens.js';
import { ReservationQueries } from '../../projections/reservations/reservations.queries.js';
import { AdminReservationQueries } from '../../projections/reservations/admin-reservations.queries.js';
import { SeatMapQueries } from '../../projections/seat-map/seat-map.queries.js';
import { ShowQueries } from '../../projections/catalog/show.queries.js';
import type { Config } from '../config/config.js';
import type { Knex } from '../database/knex.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logging/logger.js';
import { bookingMetrics } from './booking.metrics.js';
import { MemoryHoldDeadlines } from './memory-hold-deadlines.js';
import { RedisHoldDeadlines } from './redis-hold-deadlines.js';
import { RedisStreamTurns } from './redis-stream-turns.js';
import { redisNamespace } from '../redis/redis-namespace.js';
import { SqlIdempotencyStore } from './sql-idempotency-store.js';
import { IdempotencyPurger } from './idempotency-purger.js';

export interface BookingParts {
  knex: Knex;
  redis?: RedisClient;
  eventStore: EventStore;
  logger: Logger;
  lifecycle: Lifecycle;
}

/**
 * The booking module: seat map and reservation queries, the multi-stream processor, idempotency
 * answers (and their purge), hold deadlines and the expiry process.
 * Needs the catalogue (its read cache and show queries) and the waiting room (its gate) registered first.
 */
export function registerBooking(container: DependencyContainer, parts: BookingParts): void {
  const { knex, redis, eventStore } = parts;
  const clock = container.resolve<Clock>(TOKENS.Clock);
  const config = container.resolve<Config>(TOKENS.Config);
  const namespace = redisNamespace(config);
  const cache = container.resolve<ReadCache>(TOKENS.ReadCache);
  const shows = container.resolve(ShowQueries);
  const deadlines = redis ? new RedisHoldDeadlines(redis, namespace) : new MemoryHoldDeadlines();
  container.register(SeatMapQueries, { useValue: new SeatMapQueries(knex, cache, clock, shows) });
  container.register(ReservationQueries, { useValue: new ReservationQueries(knex) });
  container.register(AdminReservationQueries, { useValue: new AdminReservationQueries(knex) });
  const idempotency = new SqlIdempotencyStore(knex);
  container.register(TOKENS.IdempotencyStore, { useValue: idempotency });
  container.register(TOKENS.HoldDeadlines, { useValue: deadlines });
  container.register(TOKENS.StreamTurns, { useValue: redis ? new RedisStreamTurns(redis, namespace) : noTurns });
  container.register(BookingStreams, { useValue: new BookingStreams(eventStore) });
  // each worker takes pool tickets from shards of its own first (see PoolShards)
  container.register(TOKENS.PoolShards, { useValue: new PoolShards(config.ONSALE_WORKER_SLOT, config.ONSALE_WORKER_SLOTS) });
  container.register(TOKENS.BookingMetrics, { useValue: bookingMetrics });
  container.register(TOKENS.BookingProcessor, { useValue: container.resolve(BookingProcessor) });
  parts.lifecycle.add(new HoldExpirer(deadlines, shows, container.resolve(ExpireHoldHandler), clock, parts.logger));
  const retentionMs = config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000;
  parts.lifecycle.add(new IdempotencyPurger(idempotency, clock, parts.logger, { retentionMs }));
}
