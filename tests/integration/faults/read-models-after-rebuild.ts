import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { FailureStore } from '../../../src/infrastructure/projections/engine/failures.js';
import { LeaseStore } from '../../../src/infrastructure/projections/engine/lease.js';
import type { ProjectionRegistry } from '../../../src/infrastructure/projections/engine/registry.js';
import { rebuildProjection } from '../../../src/infrastructure/projections/engine/rebuild.js';
import { liveTableName } from '../../../src/projections/table-names.js';

/** Every projection's rows, live and then rebuilt from the log: a read model that missed or doubled an event differs. */
export async function readModelsBeforeAndAfterRebuild(env: Record<string, string>) {
  const container = await buildContainer(loadConfig({ ...env, MYSQL_STATEMENT_TIMEOUT_MS: '0' }), createLogger('silent'));
  const knex = container.resolve<Knex>(TOKENS.Knex);
  try {
    const projections = container.resolve<ProjectionRegistry>(TOKENS.ProjectionRegistry).list();
    const snapshot = async () => {
      const tables: Record<string, string[]> = {};
      for (const projection of projections) {
        for (const table of projection.tables) {
          const name = liveTableName(projection.name, table);
          tables[name] = ((await knex(name).select()) as object[]).map((row) => JSON.stringify(row)).sort();
        }
      }
      return tables;
    };
    const live = await snapshot();
    for (const projection of projections) await rebuildProjection(storesOf(container, knex), projection);
    return { live, rebuilt: await snapshot() };
  } finally {
    await container.resolve<EventStore>(TOKENS.EventStore).close();
    await knex.destroy();
    if (container.isRegistered(TOKENS.Redis)) (container.resolve(TOKENS.Redis) as { disconnect(): void }).disconnect();
  }
}

function storesOf(container: DependencyContainer, knex: Knex) {
  const eventStore = container.resolve<EventStore>(TOKENS.EventStore);
  return { knex, eventStore, leases: new LeaseStore(knex), failures: new FailureStore(knex), owner: 'fault-test-rebuild' };
}
