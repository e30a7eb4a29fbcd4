import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { closeStores } from '../../../src/infrastructure/cli/cli-container.js';
import { registryOf, storesOf } from '../../../src/infrastructure/cli/projections.command.js';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { projectionStatuses, type ProjectionStatus } from '../../../src/infrastructure/projections/engine/status.js';
import type { SeedOutput } from '../../../src/infrastructure/cli/seed-output.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { tempDataDir } from '../../support/temp-dir.js';

describe('onsale seed (embedded)', function () {
  this.timeout(60_000);
  const data = tempDataDir();
  let seed: SeedOutput;
  let server: RunningServer | undefined;
  let statuses: ProjectionStatus[] = [];

  before(async () => {
    const config = loadConfig({ DATA_DIR: data.dir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
    seed = await seedSale(config, {
      members: 25,
      shows: ['reserved', 'general-queue'],
      seats: 60,
      capacity: 40,
      out: path.join(data.dir, 'seed.json'),
    });
    // as the seed left the database, before a server catches anything up
    const container = await buildContainer(config, createLogger('silent'));
    statuses = await projectionStatuses(storesOf(container), registryOf(container).list());
    await closeStores(container);
    server = await startServer(config);
  });

  after(async () => {
    await server?.close();
    data.remove();
  });

  it('when seeding, then the file holds every member with a token and every show with its seats', () => {
    const written = JSON.parse(readFileSync(path.join(data.dir, 'seed.json'), 'utf8')) as SeedOutput;
    expect(written).to.deep.equal(seed);
    expect(written.members).to.have.length(25);
    expect(new Set(written.members.map((m) => m.email)).size).to.equal(25);
    const [reserved, general] = written.shows;
    expect(reserved).to.include({ kind: 'reserved', seating: 'reserved', capacity: 75 });
    expect(reserved!.seats).to.have.length(75);
    expect(reserved!.seats[0]).to.equal('A-1-1');
    expect(reserved!.queue.enabled).to.equal(false);
    expect(general).to.include({ kind: 'general-queue', seating: 'general', capacity: 40 });
    expect(general!.queue.enabled).to.equal(true);
  });

  it("when it ends, then every projection (the reactors too, which a rebuild does not replay) has reached the log's head", () => {
    expect(statuses.length).to.be.greaterThan(5);
    for (const status of statuses) expect(status.position, status.name).to.equal(status.head).and.to.be.greaterThan(0);
  });

  it('when a seeded token is used, then the API knows the member', async () => {
    const member = seed.members[7]!;
    const response = await fetch(`http://127.0.0.1:${server!.port}/api/members/me`, {
      headers: { authorization: `Bearer ${member.accessToken}` },
    });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.include({ id: member.id, email: member.email });
  });
});
