import { expect } from 'chai';
import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { showStreamId } from '../../../src/domain/catalog/show.decider.js';
import { saleCommand } from '../../../src/infrastructure/cli/sale.command.js';
import { scheduleSeedShow } from '../../../src/infrastructure/cli/seed-schedule-show.js';
import { seedShowDefinition } from '../../../src/infrastructure/cli/seed-shows.js';
import { loadConfig, type Config } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Lifecycle } from '../../../src/infrastructure/lifecycle.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { tempDataDir } from '../../support/temp-dir.js';

describe('onsale sale (CLI): the run-the-sale controls from a shell', function () {
  this.timeout(30_000);
  let dir: ReturnType<typeof tempDataDir>;
  let container: DependencyContainer;
  let config: Config;
  let showId: string;
  const size = { capacity: 100, seats: 100, maxTicketsPerMember: 4, admitPerSecond: 10, maxActive: 10 };

  // a server's container (its projections running) stands in for the running server the command writes beside
  before(async () => {
    dir = tempDataDir();
    config = loadConfig({ DATA_DIR: dir.dir, LOG_LEVEL: 'error', JWT_SECRET: 'x'.repeat(32) });
    container = await buildContainer(config, createLogger('error'));
    await container.resolve<Lifecycle>(TOKENS.Lifecycle).start();
    showId = await scheduleSeedShow(container, seedShowDefinition('general-queue', size, new Date()));
  });
  after(async () => {
    await container?.resolve<Lifecycle>(TOKENS.Lifecycle).stop();
    dir.remove();
  });

  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      await saleCommand((action) => action(container, config)).parseAsync(args, { from: 'user' });
    } finally {
      console.log = log;
    }
    return lines.join('\n');
  };
  const lastChange = async () => {
    const events = await container.resolve<EventStore>(TOKENS.EventStore).readStream(showStreamId(showId));
    return events.filter((event) => event.type === 'ShowSaleChanged').at(-1)?.data;
  };

  it('when an operator pauses the admissions, then it is recorded as the console records it, naming them', async () => {
    expect(await cli('pause', showId, '--by', 'ops:night-shift')).to.equal(`${showId}: pause-admissions`);
    expect(await lastChange()).to.deep.include({ action: 'pause-admissions', by: 'ops:night-shift' });
  });

  it('when the sale is so already, then the command says it changed nothing', async () => {
    expect(await cli('pause', showId)).to.equal(`${showId}: pause-admissions changed nothing (the sale was so already)`);
    expect(await cli('resume', showId)).to.equal(`${showId}: resume-admissions`);
    expect(await lastChange()).to.deep.include({ action: 'resume-admissions' });
    expect((await lastChange()) as { by: string })
      .to.have.property('by')
      .that.matches(/^cli:/);
  });

  it('when the control is unknown or the show is not, then it fails with what was wrong', async () => {
    let error: Error | undefined;
    await cli('stop', showId).catch((e: Error) => (error = e));
    expect(error?.message).to.equal('unknown control "stop": one of open, pause, resume, close');
    error = undefined;
    await cli('pause', '00000000-0000-4000-8000-000000000000').catch((e: Error) => (error = e));
    expect(error)
      .to.have.property('code')
      .that.matches(/^CATALOG\./);
  });
});
