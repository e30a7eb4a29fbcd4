import { expect } from 'chai';
import { nextChunk, rowsInBand } from '../../../web/src/components/seat-window.js';

describe('web: which rows of a large seat map are drawn', () => {
  // 25 rows, 34 px apart, the grid's top 100 px below the top of the screen
  const grid = { top: 100, pitch: 34, rows: 25 };

  it('when a band of the screen covers part of a grid, then the rows it touches are given, first to last', () => {
    expect(rowsInBand(grid, 0, 200)).to.deep.equal({ first: 0, last: 2 });
    expect(rowsInBand(grid, 134, 168)).to.deep.equal({ first: 1, last: 1 });
    expect(rowsInBand(grid, 150, 300)).to.deep.equal({ first: 1, last: 5 });
  });

  it('when the band reaches past the grid, then the rows stop at its first and last', () => {
    expect(rowsInBand(grid, -5000, 5000)).to.deep.equal({ first: 0, last: 24 });
    expect(rowsInBand({ ...grid, top: -600 }, 0, 50)).to.deep.equal({ first: 17, last: 19 });
  });

  it('when the band misses the grid or the grid has no rows, then none are given', () => {
    expect(rowsInBand(grid, 0, 100)).to.equal(undefined);
    expect(rowsInBand(grid, 950, 2000)).to.equal(undefined);
    expect(rowsInBand({ ...grid, rows: 0 }, 0, 500)).to.equal(undefined);
    expect(rowsInBand({ ...grid, pitch: 0 }, 0, 500)).to.equal(undefined);
  });

  it('when rows are wanted, then the next chunk is the first ones not drawn, up to the seat budget', () => {
    const wanted = ['N/3', 'N/4', 'N/5', 'N/6', 'N/2'].map((key) => ({ key, seats: 50 }));
    expect(nextChunk(wanted, new Set(), 150)).to.deep.equal(['N/3', 'N/4', 'N/5']);
    expect(nextChunk(wanted, new Set(['N/3', 'N/4', 'N/5']), 150)).to.deep.equal(['N/6', 'N/2']);
    expect(nextChunk(wanted, new Set(wanted.map((row) => row.key)), 150)).to.deep.equal([]);
  });

  it('when one row is wider than the budget, then it is drawn alone rather than never', () => {
    expect(
      nextChunk(
        [
          { key: 'A/1', seats: 400 },
          { key: 'A/2', seats: 1 },
        ],
        new Set(),
        150,
      ),
    ).to.deep.equal(['A/1']);
  });
});
