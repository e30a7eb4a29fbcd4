import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../application/ports/event-store.js';
import { TOKENS } from '../../application/tokens.js';
import { ProjectionEngine } from './engine/engine.js';
import { ProjectionRegistry } from './engine/registry.js';
import { CheckpointWaiter } from './engine/waiter.js';
import { allProjections } from '../../projections/index.js';
import type { Knex } from '../database/knex.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logging/logger.js';

/**
 * Registers the projection registry (read lazily, once the container is complete), the waiter,
 * and the engine, whose runners start with the server and stop before the stores close.
 */
export function registerProjections(
  container: DependencyContainer,
  parts: {
    knex: Knex;
    eventStore: EventStore;
    logger: Logger;
    lifecycle: Lifecycle;
    home?: { slot: number; slots: number };
    /** Most events a runner reads and commits at once (PROJECTION_BATCH_EVENTS). */
    batchSize?: number;
  },
): ProjectionEngine {
  const registry = new ProjectionRegistry(() => allProjections(container));
  const waiter = new CheckpointWaiter(parts.knex);
  const engine = new ProjectionEngine({
    knex: parts.knex,
    eventStore: parts.eventStore,
    logger: parts.logger,
    registry,
    waiter,
    home: parts.home,
    options: parts.batchSize === undefined ? undefined : { batchSize: parts.batchSize },
  });
  container.register(TOKENS.ProjectionRegistry, { useValue: registry });
  container.register(TOKENS.ProjectionWaiter, { useValue: waiter });
  container.register(ProjectionEngine, { useValue: engine });
  parts.lifecycle.add(engine);
  return engine;
}
