import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { admissionStream } from '../../../src/domain/admission/admission.events.js';
import { entrantsDigest, seedCommitment } from '../../../src/domain/admission/draw-commitment.js';
import { drawOrder } from '../../../src/domain/admission/pre-queue-draw.js';
import { withContainer } from '../../../src/infrastructure/cli/cli-container.js';
import { drawCommand } from '../../../src/infrastructure/cli/draw.command.js';
import { tempDataDir } from '../../support/temp-dir.js';

async function cli(...args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    await drawCommand().parseAsync(args, { from: 'user' });
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

describe('onsale draw (CLI)', () => {
  const saved = { DATA_DIR: process.env.DATA_DIR, MYSQL_URL: process.env.MYSQL_URL, REDIS_URL: process.env.REDIS_URL };
  let dir: ReturnType<typeof tempDataDir>;
  const seed = 'a'.repeat(64);
  const entrants = ['m1', 'm2', 'm3', 'm4'];

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

  const record = (events: { type: string; data: object }[]) =>
    withContainer(async (container) => {
      const store = container.resolve<EventStore>(TOKENS.EventStore);
      for (const [i, event] of events.entries())
        await store.append(admissionStream('s1'), [{ id: crypto.randomUUID(), ...event }], i === 0 ? 'no_stream' : 'any');
    });

  it('when only the commitment is recorded, then it is shown and the seed is not', async () => {
    await record([
      { type: 'PreQueueSeedCommitted', data: { showId: 's1', commitment: seedCommitment(seed), committedAt: '2027-01-01T09:59:00.000Z' } },
    ]);
    const audit = JSON.parse(await cli('s1', '--json'));
    expect(audit).to.include({ commitment: seedCommitment(seed), drawn: false, seed: null });
  });

  it('when drawn, then the seed matches the commitment and the entrants file redoes the order', async () => {
    await record([
      { type: 'PreQueueSeedCommitted', data: { showId: 's1', commitment: seedCommitment(seed), committedAt: '2027-01-01T09:59:00.000Z' } },
      {
        type: 'PreQueueDrawn',
        data: {
          showId: 's1',
          seed,
          count: 4,
          drawnAt: '2027-01-01T10:00:00.100Z',
          commitment: seedCommitment(seed),
          entrantsDigest: entrantsDigest(entrants),
        },
      },
    ]);
    const file = path.join(dir.dir, 'entrants.txt');
    writeFileSync(file, `${entrants.join('\n')}\n`);
    const text = await cli('s1', '--entrants', file);
    expect(text).to.contain('sha256(seed) = commitment: yes');
    expect(text).to.contain("entrants file matches the draw's digest: yes");
    const order = text
      .split('drawn order:\n')[1]!
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[1]);
    expect(order).to.deep.equal(drawOrder(entrants, seed));
  });
});
