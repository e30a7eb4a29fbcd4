import 'reflect-metadata';
import { Command } from 'commander';
import { TOKENS } from '../src/application/tokens.js';
import { withContainer } from '../src/infrastructure/cli/cli-container.js';
import { projectionsCommand } from '../src/infrastructure/cli/projections.command.js';
import { ProjectionRegistry } from '../src/infrastructure/projections/engine/registry.js';
import { allProjections } from '../src/projections/index.js';
import { benchTallyProjection } from './bench-tally.projection.js';

/** `onsale projections …` exactly as src/cli.ts wires it, with the benchmark's projection registered too. */
const open: typeof withContainer = (action) =>
  withContainer((container, config) => {
    const registry = new ProjectionRegistry(() => [...allProjections(container), benchTallyProjection]);
    container.register(TOKENS.ProjectionRegistry, { useValue: registry });
    return action(container, config);
  });

const program = new Command('onsale-bench').addCommand(projectionsCommand(open));
try {
  await program.parseAsync(process.argv);
  process.exit(process.exitCode ?? 0);
} catch (error) {
  console.error(`onsale-bench: ${(error as Error).message}`);
  process.exit(1);
}
