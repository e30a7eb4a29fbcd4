import { expect } from 'chai';
import { Crowd, SaleTally } from '../../../bench/load/scenarios/crowd.js';
import { bestBlocks, freeSeats, orphans, scatteredSeats, together, type HallSection } from '../../../bench/load/scenarios/hall-map.js';
import { LoadStats } from '../../../bench/load/stats.js';

const hall = (...sections: Array<[string, ...string[]]>): HallSection[] => sections.map(([id, ...rows]) => ({ id, rows }));

describe('load harness: the party sale (best available against hand-picking)', () => {
  it('when a single free seat sits between taken seats or against a row end, then it counts as an orphan', () => {
    expect(orphans(hall(['A', 'ashaas', 'aaaaaa', 'sasssa']))).to.equal(3);
    expect(freeSeats(hall(['A', 'ashaas', 'sasssa']))).to.equal(5);
  });

  it('when a hand-picker looks for 2 seats, then the blocks come middle of the front row first, in the best section that has any', () => {
    const seats = hall(['A', 'ssssss', 'aaaaaa'], ['B', 'aaaaaa']);
    expect(bestBlocks(seats, 2, 3).map((block) => block.seats)).to.deep.equal([
      ['A-2-3', 'A-2-4'],
      ['A-2-2', 'A-2-3'],
      ['A-2-4', 'A-2-5'],
    ]);
    expect(bestBlocks(hall(['A', 'asasas'], ['B', 'saas']), 2, 5).map((block) => block.seats)).to.deep.equal([['B-1-2', 'B-1-3']]);
    expect(bestBlocks(hall(['A', 'asasas']), 2, 5)).to.deep.equal([]);
    expect(scatteredSeats(hall(['A', 'asasas']), 2)).to.deep.equal(['A-1-3', 'A-1-5']);
  });

  it('when seats are one row and consecutive, then the party sits together; across rows or with a gap, it does not', () => {
    expect(together(['A-1-5', 'A-1-4', 'A-1-6'])).to.equal(true);
    expect(together(['A-1-5', 'A-2-6'])).to.equal(false);
    expect(together(['A-1-5', 'A-1-7'])).to.equal(false);
  });

  it('when two crowds are built from the same seed, then they bring the same parties, of 1 to 6, most wanting the best section', () => {
    const a = new Crowd();
    const b = new Crowd();
    const parties = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).to.deep.equal(parties);
    expect(Math.min(...parties.map((p) => p.size))).to.equal(1);
    expect(Math.max(...parties.map((p) => p.size))).to.equal(6);
    const best = parties.filter((p) => p.wantsBest).length / parties.length;
    expect(best).to.be.within(0.7, 0.9);
  });

  it('when bookings come in, then togetherness is counted until 90 % of the hall is sold, and the orphans are counted at that moment', () => {
    const seats = ['A-1-1', 'A-1-2', 'A-1-3', 'A-1-4', 'A-1-5', 'A-2-1', 'A-2-2', 'A-2-3', 'A-2-4', 'A-2-5'];
    const tally = new SaleTally(seats, new LoadStats());
    tally.booked(['A-1-1', 'A-1-2', 'A-1-3']);
    tally.booked(['A-2-1', 'A-2-3']);
    expect(tally.orphans()).to.equal(1); // A-2-2: A-1-4/5 and A-2-4/5 are pairs
    tally.booked(['A-1-4', 'A-2-4', 'A-2-5']);
    expect(tally.orphansAt90).to.equal(undefined);
    tally.booked(['A-1-5']);
    expect(tally.orphansAt90).to.equal(1);
    tally.booked(['A-2-2']);
    expect([tally.early, tally.earlyTogether, tally.seatsSold, tally.orphans(), tally.orphansAt90]).to.deep.equal([4, 2, 10, 0, 1]);
  });
});
