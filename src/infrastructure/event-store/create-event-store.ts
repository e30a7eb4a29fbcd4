import type { Redis } from 'ioredis';
import type { EventStore } from '../../application/ports/event-store.js';
import type { Config } from '../config/config.js';
import type { Knex } from '../database/knex.js';
import type { Logger } from '../logging/logger.js';

export interface EventStoreParts {
  config: Config;
  knex: Knex;
  redis?: Redis;
  logger: Logger;
}

/** Chooses the adapter: KurrentDB when EVENTSTORE_URL is set, else the SQL database in use. */
export async function createEventStore(parts: EventStoreParts): Promise<EventStore> {
  void parts;
  throw new Error('event store adapters are being written (issue 2)');
}
