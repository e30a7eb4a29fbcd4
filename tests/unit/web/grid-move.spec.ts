import { expect } from 'chai';
import { gridMove } from '../../../web/src/components/grid-move.js';

const rows = [
  ['A-1-1', 'A-1-2', 'A-1-3'],
  ['A-2-1', 'A-2-2', 'A-2-3'],
  ['B-1-1', 'B-1-2', 'B-1-3', 'B-1-4', 'B-1-5'],
];
const key = (k: string, ctrlKey = false) => ({ key: k, ctrlKey, metaKey: false });

describe('web: moving around the seat grid with the keyboard', () => {
  it('when an arrow is pressed, then focus moves one seat, and stops at the edges', () => {
    expect(gridMove(rows, 'A-1-2', key('ArrowRight'))).to.equal('A-1-3');
    expect(gridMove(rows, 'A-1-3', key('ArrowRight'))).to.equal('A-1-3');
    expect(gridMove(rows, 'A-1-1', key('ArrowLeft'))).to.equal('A-1-1');
    expect(gridMove(rows, 'A-1-1', key('ArrowUp'))).to.equal('A-1-1');
  });

  it('when Down crosses into the next section, then the column is kept as far as the row reaches', () => {
    expect(gridMove(rows, 'A-2-3', key('ArrowDown'))).to.equal('B-1-3');
    expect(gridMove(rows, 'B-1-5', key('ArrowUp'))).to.equal('A-2-3');
  });

  it('when Home or End is pressed, then focus goes to the row’s ends; with Ctrl, to the grid’s', () => {
    expect(gridMove(rows, 'B-1-3', key('Home'))).to.equal('B-1-1');
    expect(gridMove(rows, 'B-1-3', key('End'))).to.equal('B-1-5');
    expect(gridMove(rows, 'B-1-3', key('Home', true))).to.equal('A-1-1');
    expect(gridMove(rows, 'A-1-1', key('End', true))).to.equal('B-1-5');
  });

  it('when another key is pressed, or the seat is not in the grid, then nothing moves', () => {
    expect(gridMove(rows, 'A-1-1', key('a'))).to.equal(undefined);
    expect(gridMove(rows, 'Z-9-9', key('ArrowRight'))).to.equal(undefined);
  });
});
