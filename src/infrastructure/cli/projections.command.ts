import { Command, InvalidArgumentError } from 'commander';
import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../application/ports/event-store.js';
import { TOKENS } from '../../application/tokens.js';
import { processOwner } from '../projections/engine/engine.js';
import { FailureStore } from '../projections/engine/failures.js';
import { LeaseStore } from '../projections/engine/lease.js';
import type { Projection } from '../../projections/projection.js';
import { rebuildProjection, type RebuildResult } from '../projections/engine/rebuild.js';
import type { ProjectionRegistry } from '../projections/engine/registry.js';
import { projectionStatuses } from '../projections/engine/status.js';
import type { Knex } from '../database/knex.js';
import { withContainer } from './cli-container.js';
import { ProgressBar } from './progress-bar.js';
import { formatStatusTable } from './status-table.js';

/** `onsale projections status|rebuild|retry`; `open` supplies the container (tests swap the registry). */
export function projectionsCommand(open: typeof withContainer = withContainer): Command {
  const command = new Command('projections').description('inspect and rebuild the read models');
  command
    .command('status')
    .description('position, head, lag and state of each projection')
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) =>
      open(async (container) => {
        const statuses = await projectionStatuses(storesOf(container), registryOf(container).list());
        console.log(options.json ? JSON.stringify(statuses, null, 2) : formatStatusTable(statuses));
      }),
    );
  command
    .command('rebuild')
    .description('replay the log into fresh tables, then swap them in atomically (reads keep answering)')
    .argument('[name]', 'projection to rebuild')
    .option('--all', 'rebuild every projection')
    .option('--in-place', 'truncate the live tables and replay into them (reads see partial data meanwhile)')
    .option('--batch-size <n>', 'events per transaction', positiveInt, 5000)
    .action((name: string | undefined, options: { all?: boolean; inPlace?: boolean; batchSize: number }) => {
      if (!name === !options.all) throw new InvalidArgumentError('name one projection or pass --all');
      return open(async (container) => {
        const registry = registryOf(container);
        const projections = options.all ? registry.list() : [registry.get(name!)];
        for (const projection of projections) {
          const result = await rebuildOne(container, projection, options);
          console.log(formatResult(result, options.inPlace));
        }
      });
    });
  command
    .command('retry')
    .description('clear the failure of a projection, so that its runner tries the failed event again')
    .argument('<name>', 'projection')
    .action((name: string) =>
      open(async (container) => {
        registryOf(container).get(name);
        await new FailureStore(container.resolve<Knex>(TOKENS.Knex)).clear(name);
        console.log(`${name}: failure cleared; its runner retries within a few seconds`);
      }),
    );
  return command;
}

async function rebuildOne(
  container: DependencyContainer,
  projection: Projection,
  options: { inPlace?: boolean; batchSize: number },
): Promise<RebuildResult> {
  const bar = new ProgressBar(projection.name);
  // Ctrl-C stops between batches and cleans up (fresh tables dropped, leases released).
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    return await rebuildProjection({ ...storesOf(container), owner: processOwner('rebuild') }, projection, {
      inPlace: options.inPlace,
      batchSize: options.batchSize,
      signal: interrupt.signal,
      onProgress: ({ replayed, head, position }) => bar.update(replayed, replayed + Math.max(0, head - position)),
    });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    bar.finish();
  }
}

function formatResult(result: RebuildResult, inPlace?: boolean): string {
  const events = result.events.toLocaleString('en-US');
  const rate = Math.round(result.eventsPerSecond).toLocaleString('en-US');
  return `${result.projection}: rebuilt ${inPlace ? 'in place' : 'and swapped in'} at position ${result.position}: ${events} events in ${result.seconds.toFixed(1)} s (${rate} events/s)`;
}

/** The stores a rebuild needs, from the CLI's container. */
export function storesOf(container: DependencyContainer) {
  const knex = container.resolve<Knex>(TOKENS.Knex);
  return {
    knex,
    eventStore: container.resolve<EventStore>(TOKENS.EventStore),
    leases: new LeaseStore(knex),
    failures: new FailureStore(knex),
  };
}

export function registryOf(container: DependencyContainer): ProjectionRegistry {
  return container.resolve<ProjectionRegistry>(TOKENS.ProjectionRegistry);
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}
