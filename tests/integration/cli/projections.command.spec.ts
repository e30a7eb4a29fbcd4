import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { withContainer } from '../../../src/infrastructure/cli/cli-container.js';
import { projectionsCommand } from '../../../src/infrastructure/cli/projections.command.js';
import type { ProjectionStatus } from '../../../src/infrastructure/projections/engine/status.js';
import { ProjectionRegistry } from '../../../src/infrastructure/projections/engine/registry.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { counted, tallyProjection } from '../projections/tally.projection.js';

const run = promisify(execFile);

/** The real container (env vars, migrations) with the test projection as the only one registered. */
const openWithTally: typeof withContainer = (action) =>
  withContainer((container, config) => {
    container.register(TOKENS.ProjectionRegistry, { useValue: new ProjectionRegistry(() => [tallyProjection()]) });
    return action(container, config);
  });

async function cli(...args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    await projectionsCommand(openWithTally).parseAsync(args, { from: 'user' });
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

describe('onsale projections (CLI)', function () {
  const saved = { DATA_DIR: process.env.DATA_DIR, MYSQL_URL: process.env.MYSQL_URL, REDIS_URL: process.env.REDIS_URL };
  let dir: ReturnType<typeof tempDataDir>;

  beforeEach(() => {
    dir = tempDataDir();
    Object.assign(process.env, { DATA_DIR: dir.dir });
    delete process.env.MYSQL_URL;
    delete process.env.REDIS_URL;
  });

  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    dir.remove();
  });

  it('when rebuilt, then it reports the events and rate, and status shows the projection caught up', async () => {
    await openWithTally(async (container: DependencyContainer) => {
      const store = container.resolve<EventStore>(TOKENS.EventStore);
      await store.append(
        'counter-a',
        Array.from({ length: 25 }, () => counted(2)),
        'no_stream',
      );
    });
    const before = JSON.parse(await cli('status', '--json')) as ProjectionStatus[];
    expect(before).to.have.length(1);
    expect(before[0]).to.deep.include({ name: 'tally', state: 'new', position: 0, head: 25, lagPositions: 25 });

    expect(await cli('rebuild', 'tally', '--batch-size', '10')).to.match(
      /^tally: rebuilt and swapped in at position 25: 25 events in \d+\.\d s \([\d,]+ events\/s\)$/,
    );
    expect(await cli('rebuild', '--all', '--in-place')).to.match(/^tally: rebuilt in place at position 25: 25 events/);
    const table = await cli('status');
    expect(table.split('\n')[0]).to.match(/^projection\s+state\s+position\s+head\s+lag\s+lag \(s\)\s+owner$/);
    expect(table.split('\n')[1]).to.match(/^tally\s+stopped\s+25\s+25\s+0\s+0\.0\s+-$/);
  });

  it('when run through the bin entry, then migrate brings the embedded schema up to date', async () => {
    const env = { ...process.env, DATA_DIR: dir.dir, LOG_LEVEL: 'silent' };
    const migrate = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], { env });
    expect(migrate.stdout).to.match(/^applied: 001-event-store, 002-projection-engine/);
  });

  it('when rebuild names no projection and no --all, then it refuses before opening anything', async () => {
    let error: unknown;
    await cli('rebuild').catch((caught) => (error = caught));
    expect((error as Error)?.message).to.equal('name one projection or pass --all');
  });
});
