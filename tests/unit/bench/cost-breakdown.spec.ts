import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { breakDown, formatBreakdown } from '../../../bench/load/cost-breakdown.js';

const SRC = 'file:///repo/src';
const NM = 'file:///repo/node_modules';

/** A profile whose stacks are given root-first; each is sampled `ms` times, one sample a millisecond. */
function profile(stacks: { frames: [string, string][]; ms: number }[]) {
  const nodes = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] as number[] }];
  const samples: number[] = [];
  for (const { frames, ms } of stacks) {
    let parent = nodes[0]!;
    for (const [functionName, url] of frames) {
      const node = { id: nodes.length + 1, callFrame: { functionName, url }, children: [] as number[] };
      nodes.push(node);
      parent.children.push(node.id);
      parent = node;
    }
    for (let i = 0; i < ms; i++) samples.push(parent.id);
  }
  return { startTime: 0, endTime: samples.length * 1000, nodes, samples, timeDeltas: samples.map(() => 1000) };
}

describe('bench: where a booking’s CPU goes (cost-breakdown)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'cost-breakdown-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when frames are sampled, then each lands in the category of the nearest frame that decides, carriers going to their caller', () => {
    const stacks = [
      // the SQL driver under the event store: an append
      {
        frames: [
          ['append', `${SRC}/infrastructure/event-store/mysql/mysql-event-store.ts`],
          ['query', `${NM}/mysql2/lib/query.js`],
        ],
        ms: 4,
      },
      // the SQL driver under a projection: the projection's
      {
        frames: [
          ['apply', `${SRC}/projections/seat-map/seat-map.projection.ts`],
          ['toSQL', `${NM}/knex/lib/query.js`],
        ],
        ms: 2,
      },
      // the SQL driver with none of ours above it (a socket read): still the driver's
      {
        frames: [
          ['onStreamRead', 'node:internal/stream_base_commons'],
          ['parse', `${NM}/mysql2/lib/packet.js`],
        ],
        ms: 1,
      },
      // the router under our metrics middleware: HTTP, whatever called it
      {
        frames: [
          ['observe', `${SRC}/infrastructure/http/http.metrics.ts`],
          ['dispatch', `${NM}/@koa/router/dist/index.mjs`],
        ],
        ms: 3,
      },
      { frames: [['verify', `${NM}/jose/dist/jws.js`]], ms: 1 },
      { frames: [['decide', `${SRC}/domain/booking/booking.decider.ts`]], ms: 2 },
      {
        frames: [
          ['send', `${SRC}/infrastructure/mail/outbox-mail-sender.ts`],
          ['deflate', 'node:zlib'],
        ],
        ms: 1,
      },
      { frames: [['(garbage collector)', '']], ms: 1 },
      { frames: [['(idle)', '']], ms: 50 },
      // start-up: TypeScript compiled by tsx
      {
        frames: [
          ['load', 'node:internal/modules/esm/loader'],
          ['transform', `${NM}/esbuild/lib/main.js`],
        ],
        ms: 5,
      },
    ] as { frames: [string, string][]; ms: number }[];
    writeFileSync(path.join(dir, 'a.cpuprofile'), JSON.stringify(profile(stacks)));
    const totals = breakDown(dir);
    const ms = (category: string) => Math.round(totals.get(category as never)! / 1000);
    expect(ms('append (event store, SQL driver)')).to.equal(5);
    expect(ms('projections')).to.equal(2);
    expect(ms('HTTP + validation')).to.equal(3);
    expect(ms('auth (access token, session epoch)')).to.equal(1);
    expect(ms('decide (booking core)')).to.equal(2);
    expect(ms('e-mail (outbox, QR images)')).to.equal(1);
    expect(ms('garbage collection')).to.equal(1);
    expect(
      [...totals.values()].reduce((a, b) => a + b, 0),
      'idle and start-up left out',
    ).to.equal(15_000);

    // samples at 1, 2, … ms: 8–14 are the router, jose, the decider and the mail
    const cut = breakDown(dir, [7_500, 14_500]);
    expect(
      [...cut.values()].reduce((a, b) => a + b, 0),
      'only the samples inside the window',
    ).to.equal(7_000);
    const table = formatBreakdown(cut, 700);
    expect(table).to.contain('| HTTP + validation | 300 | 42.9 % |');
    expect(table).to.contain('| **all (measured from /proc)** | **700** | 100 % |');

    // with the helper threads measured, the profile splits only the event loops' part (700 - 210)
    const split = formatBreakdown(cut, 700, { v8: 175, libuv: 28, other: 7 });
    expect(split).to.contain('| HTTP + validation | 210 | 30.0 % |');
    expect(split).to.contain('| V8 helper threads (garbage collector, compilers) | 175 | 25.0 % |');
    expect(split).to.contain('| libuv thread pool | 28 | 4.0 % |');
    expect(split).to.contain('| **all (measured from /proc)** | **700** | 100 % |');
  });
});
