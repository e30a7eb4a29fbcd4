import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allocationsIn, formatAllocations, type HeapNode } from '../../../bench/load/allocation-breakdown.js';

const SRC = 'file:///repo/src';
const NM = 'file:///repo/node_modules';

/** A heap profile's tree from root-first stacks, each with the bytes sampled at its last frame. */
function heapProfile(stacks: { frames: [string, string, number][]; bytes: number }[]): { head: HeapNode } {
  let ids = 1;
  const head: HeapNode = { id: ids++, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, selfSize: 0, children: [] };
  for (const { frames, bytes } of stacks) {
    let parent = head;
    for (const [functionName, url, lineNumber] of frames) {
      let child = parent.children.find((c) => c.callFrame.functionName === functionName && c.callFrame.url === url);
      if (!child) {
        child = { id: ids++, callFrame: { functionName, url, lineNumber }, selfSize: 0, children: [] };
        parent.children.push(child);
      }
      parent = child;
    }
    parent.selfSize += bytes;
  }
  return { head };
}

describe('bench: what a booking allocates (allocation-breakdown)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'allocation-breakdown-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when two processes sampled allocations, then bytes add up by category, by allocating function and by the nearest frame of ours', () => {
    const append: [string, string, number] = ['append', `${SRC}/infrastructure/event-store/mysql/mysql-event-store.ts`, 41];
    const escapeValue: [string, string, number] = ['escapeValue', `${NM}/sql-escaper/lib/index.js`, 600];
    const parse: [string, string, number] = ['parse', '', -1];
    const decide: [string, string, number] = ['holdSeats', `${SRC}/domain/booking/booking.decider.ts`, 9];
    writeFileSync(
      path.join(dir, '1.heapprofile'),
      JSON.stringify(
        heapProfile([
          { frames: [append, escapeValue], bytes: 4096 },
          { frames: [decide, parse], bytes: 1024 },
        ]),
      ),
    );
    writeFileSync(
      path.join(dir, '2.heapprofile'),
      JSON.stringify(
        heapProfile([
          { frames: [append, escapeValue], bytes: 2048 },
          { frames: [parse], bytes: 512 },
        ]),
      ),
    );
    writeFileSync(path.join(dir, 'rows.json'), '[]');

    const { byCategory, bySite, byOwnFrame } = allocationsIn(dir);

    expect(byCategory.get('append (event store, SQL driver)')).to.equal(6144);
    expect(byCategory.get('decide (booking core)')).to.equal(1024);
    expect(byCategory.get('other (Node, unattributed)')).to.equal(512);
    expect(bySite.get('escapeValue node_modules/sql-escaper/lib/index.js:601')).to.equal(6144);
    expect(bySite.get('parse')).to.equal(1536);
    expect(byOwnFrame.get('append src/infrastructure/event-store/mysql/mysql-event-store.ts')).to.equal(6144);
    expect(byOwnFrame.get('holdSeats src/domain/booking/booking.decider.ts')).to.equal(1024);
    expect(byOwnFrame.get('(none of ours)')).to.equal(512);
  });

  it('when the table is drawn, then the largest come first in KB a booking with their share', () => {
    const table = formatAllocations(
      'allocated in',
      new Map([
        ['small', 1024],
        ['big | piped', 3072],
      ]),
      2,
      4096,
      5,
    ).split('\n');
    expect(table[0]).to.equal('| allocated in | KB a booking | share |');
    expect(table[2]).to.equal('| big \\| piped | 1.5 | 75.0 % |');
    expect(table[3]).to.equal('| small | 0.5 | 25.0 % |');
    expect(table).to.have.length(4);
  });
});
