import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import type { ProjectionRegistry } from '../../../src/infrastructure/projections/engine/registry.js';
import { liveTableName } from '../../../src/projections/table-names.js';

/** Every live read-model table's rows (sorted JSON), and the tables the restore must carry as they were. */
export async function databaseSnapshot(
  env: Record<string, string>,
  withReadModels = true,
): Promise<{ readModels: Record<string, string[]>; carried: Record<string, string[]> }> {
  const container = await buildContainer(loadConfig({ ...env, MYSQL_STATEMENT_TIMEOUT_MS: '0' }), createLogger('silent'));
  const knex = container.resolve<Knex>(TOKENS.Knex);
  const rows = async (table: string) => ((await knex(table).select()) as object[]).map((row) => JSON.stringify(row)).sort();
  try {
    const readModels: Record<string, string[]> = {};
    for (const projection of withReadModels ? registryOf(container).list() : [])
      for (const table of projection.tables)
        readModels[liveTableName(projection.name, table)] = await rows(liveTableName(projection.name, table));
    const carried: Record<string, string[]> = {};
    for (const table of ['events', 'streams', 'claims', 'event_sequence', 'member_keys', 'server_secrets'])
      carried[table] = await rows(table);
    return { readModels, carried };
  } finally {
    await container.resolve<EventStore>(TOKENS.EventStore).close();
    await knex.destroy();
    if (container.isRegistered(TOKENS.Redis)) (container.resolve(TOKENS.Redis) as { disconnect(): void }).disconnect();
  }
}

function registryOf(container: DependencyContainer): ProjectionRegistry {
  return container.resolve<ProjectionRegistry>(TOKENS.ProjectionRegistry);
}
