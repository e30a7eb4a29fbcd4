import { expect } from 'chai';
import type { DependencyContainer } from 'tsyringe';
import { admissionEventId } from '../../../src/application/admission/admission-event-id.js';
import { AdmitShowHandler } from '../../../src/application/admission/admit-show.handler.js';
import type { AdmissionSettings } from '../../../src/application/admission/admission-settings.js';
import type { AdmissionQueue } from '../../../src/application/ports/admission-queue.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { admissionStream, type MembersAdmitted } from '../../../src/domain/admission/admission.events.js';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { tempDataDir } from '../../support/temp-dir.js';

/**
 * The admitter's record of admissions (embedded: SQLite and the in-process queue): the batches
 * waiting in the outbox go into the event store in one append, and a window another process
 * recorded in part is finished one batch at a time, none recorded twice.
 */
describe('the record of admissions', () => {
  let data: ReturnType<typeof tempDataDir>;
  let container: DependencyContainer;
  let showId: string;
  let members: string[];

  beforeEach(async () => {
    data = tempDataDir();
    const config = loadConfig({ DATA_DIR: data.dir, LOG_LEVEL: 'silent' });
    const seeded = await seedSale(config, { members: 3, shows: ['reserved-queue'], seats: 10, admitPerSecond: 1, maxActive: 10 });
    showId = seeded.shows[0]!.id;
    members = seeded.members.map((member) => member.id);
    container = await buildContainer(config, createLogger('silent'));
  });

  afterEach(async () => {
    await container.resolve<EventStore>(TOKENS.EventStore).close();
    await container.resolve<Knex>(TOKENS.Knex).destroy();
    data.remove();
  });

  /** Three admissions a second apart: three batches waiting in the outbox (the opening was long ago). */
  async function threeBatches(): Promise<number> {
    const queue = container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
    const { lease } = container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings);
    const start = Date.now() - 10_000;
    for (const member of members) await queue.join(showId, member, start, 0, lease);
    for (let second = 1; second <= 3; second++)
      await queue.admit(showId, start + second * 1000, { ...lease, admitPerSecond: 1, maxActive: 10 });
    expect(await queue.pendingBatches(showId, 50)).to.have.length(3);
    return start;
  }

  const recorded = async () =>
    (await container.resolve<EventStore>(TOKENS.EventStore).readStream(admissionStream(showId)))
      .filter((event) => event.type === 'MembersAdmitted')
      .map((event) => event.data as MembersAdmitted['data'])
      .map(({ batch, memberIds }) => ({ batch, memberIds }));

  const everyBatch = () => members.map((member, i) => ({ batch: i + 1, memberIds: [member] }));

  it('when several batches wait, then one append records them all, in order, and the tick counts each member once', async () => {
    await threeBatches();
    const events = container.resolve<EventStore>(TOKENS.EventStore);
    const append = events.append.bind(events);
    let appends = 0;
    events.append = (...args) => (appends++, append(...args));

    const report = await container.resolve(AdmitShowHandler).handle(showId);

    expect({ recorded: report.recorded, appends }).to.deep.equal({ recorded: 3, appends: 1 });
    expect(await recorded()).to.deep.equal(everyBatch());
    expect((await container.resolve(AdmitShowHandler).handle(showId)).recorded, 'the next tick').to.equal(0);
  });

  it('when another process recorded the first batch of the window, then the rest is recorded one at a time and none twice', async () => {
    const start = await threeBatches();
    const events = container.resolve<EventStore>(TOKENS.EventStore);
    const data: MembersAdmitted['data'] = { showId, batch: 1, memberIds: [members[0]!], admittedAt: new Date(start + 1000).toISOString() };
    await events.append(admissionStream(showId), [{ id: admissionEventId(`${showId}:admitted:1`), type: 'MembersAdmitted', data }], 'any');

    const report = await container.resolve(AdmitShowHandler).handle(showId);

    expect(report.recordError).to.equal(undefined);
    expect(report.recorded).to.equal(3);
    expect(await recorded()).to.deep.equal(everyBatch());
  });
});
