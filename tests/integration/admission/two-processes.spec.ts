import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Redis } from 'ioredis';
import { drawAudit } from '../../../src/application/admission/draw-audit.query.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { admissionStream, type MembersAdmitted, type PreQueueDrawn } from '../../../src/domain/admission/admission.events.js';
import { entrantsDigest } from '../../../src/domain/admission/draw-commitment.js';
import { drawOrder } from '../../../src/domain/admission/pre-queue-draw.js';
import { fixedDrawSeeds } from '../../../src/infrastructure/admission/draw-seeds.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';
import type { FairnessPlan, RecordPlan } from './fixtures/queue-process.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/queue-process.ts');
/** Both processes derive each show's draw seed from this (ONSALE_TEST_DRAW_SEED): the chi-square below is the same on every run. */
const DRAW_SEED = 'two-processes-fairness-1';

interface Child {
  process: ChildProcess;
  lines: AsyncIterator<string>;
}

/** Two server processes (the real container, no HTTP) on one MariaDB database and one Redis; each runs plans until it exits. */
async function startTwo(env: Record<string, string>): Promise<Child[]> {
  const children: Child[] = [];
  // one after the other: the first brings the schema up to date
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    expect(JSON.parse((await lines.next()).value as string)).to.deep.equal({ ready: true });
    children.push({ process: child, lines });
  }
  return children;
}

async function run<T>(children: Child[], plans: (FairnessPlan | RecordPlan)[]): Promise<T[]> {
  children.forEach((child, i) => child.process.stdin!.write(`${JSON.stringify(plans[i])}\n`));
  return Promise.all(children.map(async (child) => JSON.parse((await child.lines.next()).value as string) as T));
}

/** The entrants in join order whose drawOrder(…, seed) is `drawn`: the draw undone. */
function unshuffle(drawn: string[], seed: string): string[] {
  const positions = drawOrder(
    drawn.map((_, i) => String(i)),
    seed,
  );
  const entrants: string[] = [];
  positions.forEach((index, position) => (entrants[Number(index)] = drawn[position]!));
  return entrants;
}

/** Pearson's chi-square statistic of a table of counts against independence of rows and columns. */
function chiSquare(table: number[][]): number {
  const total = table.flat().reduce((a, b) => a + b, 0);
  const rows = table.map((row) => row.reduce((a, b) => a + b, 0));
  const columns = table[0]!.map((_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  let statistic = 0;
  table.forEach((row, i) =>
    row.forEach((observed, j) => {
      const expected = (rows[i]! * columns[j]!) / total;
      statistic += (observed - expected) ** 2 / expected;
    }),
  );
  return statistic;
}

describe('the waiting room over two processes (MariaDB + Redis)', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let dataDir: ReturnType<typeof tempDataDir>;
  let children: Child[] = [];
  let events: EventStore;
  let close: () => Promise<void>;

  before(async function () {
    await requireService(this, 'mysql');
    await requireService(this, 'redis');
    database = await createTestDatabase('onsale_two');
    dataDir = tempDataDir();
    const env = { MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL, DATA_DIR: dataDir.dir, ONSALE_TEST_DRAW_SEED: DRAW_SEED };
    children = await startTwo(env);
    const container = await buildContainer(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent'));
    events = container.resolve<EventStore>(TOKENS.EventStore);
    close = async () => {
      const redis = container.resolve<Redis>(TOKENS.Redis);
      const keys = await redis.keys(`onsale:${database.name}:*`);
      if (keys.length) await redis.del(...keys);
      await events.close();
      redis.disconnect();
      await container.resolve<Knex>(TOKENS.Knex).destroy();
    };
  });
  after(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill();
    await close?.();
    await database?.drop();
    dataDir?.remove();
  });

  /** Members admitted, in admission order (batch by batch), as recorded. */
  async function admissionOrder(showId: string): Promise<{ order: string[]; drawn?: PreQueueDrawn['data'] }> {
    const stream = await events.readStream(admissionStream(showId));
    const batches = stream.filter((e) => e.type === 'MembersAdmitted').map((e) => e.data as MembersAdmitted['data']);
    const drawn = stream.find((e) => e.type === 'PreQueueDrawn')?.data as PreQueueDrawn['data'] | undefined;
    return { order: batches.sort((a, b) => a.batch - b.batch).flatMap((b) => b.memberIds), drawn };
  }

  it('when joins land before, a few ms after and well after the opening, many times, then every later joiner is behind every earlier one, and the draw is a fair shuffle', async () => {
    const ROUNDS = 30;
    const PRE = [-250, -190, -130, -70];
    const POST = [1, 3, 6, 150, 250];
    const first = Date.now() + 1000;
    const sales = Array.from({ length: ROUNDS }, (_, r) => ({ showId: `fair-${r}`, salesOpenAt: first + r * 500 }));
    const plans: FairnessPlan[] = ['a', 'b'].map((p) => ({
      mode: 'fairness',
      sales,
      joins: sales.flatMap(({ showId }) =>
        [...PRE, ...POST].map((offsetMs, k) => ({ showId, memberId: `${p}${k}-${showId}`, offsetMs: offsetMs + (p === 'b' ? 1 : 0) })),
      ),
    }));
    type Join = { showId: string; memberId: string; offsetMs: number; sentAt: number; preQueue: boolean };
    const results = await run<{ joins: Join[] }>(children, plans);
    const joins = results.flatMap((r) => r.joins);

    const seeds = fixedDrawSeeds(DRAW_SEED);
    let exactRounds = 0;
    for (const { showId, salesOpenAt } of sales) {
      const mine = joins.filter((j) => j.showId === showId);
      const { order, drawn } = await admissionOrder(showId);
      expect(order, showId).to.have.members(mine.map((j) => j.memberId));
      const early = mine.filter((j) => j.preQueue);
      const late = mine.filter((j) => !j.preQueue);
      // sent after the opening (by the same machine's clock as Redis): never in the draw
      for (const j of mine)
        if (j.sentAt >= salesOpenAt) expect(j.preQueue, `${j.memberId} sent ${j.sentAt - salesOpenAt} ms after`).to.equal(false);
      // every member of the draw is admitted before everyone who came after the opening
      const lastEarly = Math.max(...early.map((j) => order.indexOf(j.memberId)));
      const firstLate = Math.min(...late.map((j) => order.indexOf(j.memberId)));
      expect(lastEarly, showId).to.be.lessThan(firstLate);
      if (early.length === 0) {
        expect(drawn, `${showId}: nobody in before the opening, no draw`).to.equal(undefined);
        continue;
      }
      expect(drawn?.count, showId).to.equal(early.length);
      // the seed was kept before the opening (at the first join into the draw), its commitment
      // published before the seed was revealed, and the revealed seed matches it
      const audit = await drawAudit(events, showId);
      expect(Date.parse(audit.committedAt!), showId).to.be.lessThan(salesOpenAt);
      const stream = await events.readStream(admissionStream(showId));
      const types = stream.map((e) => e.type);
      expect(types.indexOf('PreQueueSeedCommitted'), showId).to.be.lessThan(types.indexOf('PreQueueDrawn'));
      expect(audit.seedMatchesCommitment, showId).to.equal(true);
      // the fixed seed source was used, whichever process kept the seed
      expect(drawn!.seed, showId).to.equal(seeds.seedFor(showId));
      // the admitted order is exactly that seed's shuffle of the entrants in their join order: undoing
      // the shuffle gives the list the draw recorded (entrantsDigest, taken when the pre-queue froze)
      const drawnOrder = order.slice(0, early.length);
      expect(entrantsDigest(unshuffle(drawnOrder, drawn!.seed)), showId).to.equal(drawn!.entrantsDigest);
      if (early.length >= 2) exactRounds++;
    }
    // enough rounds drew several members (a busy machine delays some joins past the opening)
    expect(exactRounds).to.be.at.least(12);
    // and those shuffles are fair: for eight entrants (the full draw, two per join slot), the position
    // bucket each slot gets under every round's seed is independent of the slot. Chi-square (df 9),
    // 27.88 being the p = 0.001 critical value; the seeds are fixed, so the figure (7.07) is the same on
    // every run instead of failing one run in a thousand by chance.
    const table = PRE.map(() => PRE.map(() => 0));
    const slots = Array.from({ length: PRE.length * 2 }, (_, k) => String(k));
    for (const { showId } of sales) {
      const shuffled = drawOrder(slots, seeds.seedFor(showId));
      slots.forEach((k, rank) => table[Math.floor(rank / 2)]![Math.floor(shuffled.indexOf(k) / 2)]!++);
    }
    expect(chiSquare(table), JSON.stringify(table)).to.be.lessThan(27.88);
  });

  it('when members are admitted through ticks, confirms, leaves and expiries in two processes, then the admitted counters sum to the recorded admissions', async () => {
    const showId = 'record-1';
    const members = (p: string) => Array.from({ length: 24 }, (_, i) => `${p}${i}`);
    const plans: RecordPlan[] = ['a', 'b'].map((p) => ({ mode: 'record', showId, members: members(p), total: 48 }));
    const results = await run<{ counted: number; unadmitted: number }>(children, plans);
    expect(results.map((r) => r.unadmitted)).to.deep.equal([0, 0]);
    const { order } = await admissionOrder(showId);
    expect([...order].sort()).to.deep.equal([...members('a'), ...members('b')].sort());
    expect(results[0]!.counted + results[1]!.counted).to.equal(order.length);
  });
});
