import { expect } from 'chai';
import { compactSection, SEAT_LEGEND, seatsOf } from '../../../../src/projections/seat-map/compact-seat-map.js';

const floor = { id: 'FL', name: 'Floor', rows: 2, seatsPerRow: 4, price: 6000 };

describe('compact seat map', () => {
  it('when seats are taken, then row r holds their characters at place n, and the counts add up to the section', () => {
    const section = compactSection(floor, [
      { row: 1, number: 4, status: 'sold' },
      { row: 2, number: 1, status: 'held' },
      { row: 2, number: 2, status: 'sold' },
    ]);
    expect(section).to.deep.equal({ id: 'FL', name: 'Floor', price: 6000, available: 5, held: 1, sold: 2, rows: ['aaas', 'hsaa'] });
  });

  it('when a taken seat lies outside the layout, then it is left out rather than shifting the others', () => {
    const section = compactSection(floor, [
      { row: 3, number: 1, status: 'sold' },
      { row: 1, number: 5, status: 'sold' },
    ]);
    expect(section).to.deep.include({ available: 8, sold: 0, rows: ['aaaa', 'aaaa'] });
  });

  it('when a map is decoded, then every seat gets its id `<section>-<r>-<n>` and status, section by section', () => {
    const seats = seatsOf({
      sections: [
        { id: 'A', rows: ['ah', 's'] },
        { id: 'B', rows: ['?'] },
      ],
    });
    expect(seats).to.deep.equal([
      { id: 'A-1-1', section: 'A', row: 1, number: 1, status: 'available' },
      { id: 'A-1-2', section: 'A', row: 1, number: 2, status: 'held' },
      { id: 'A-2-1', section: 'A', row: 2, number: 1, status: 'sold' },
      // an unknown character is not offered for sale
      { id: 'B-1-1', section: 'B', row: 1, number: 1, status: 'held' },
    ]);
  });

  it('when a section is encoded and decoded, then the statuses come back', () => {
    const section = compactSection(floor, [{ row: 2, number: 3, status: 'held' }]);
    const held = seatsOf({ sections: [section] }).filter((s) => s.status !== 'available');
    expect(held.map((s) => s.id)).to.deep.equal(['FL-2-3']);
  });

  it('when a section has blocked seats, then they read `x`, are counted apart, and a taken seat there changes nothing', () => {
    const section = compactSection({ ...floor, blocked: ['1-2', '2-4'] }, [
      { row: 1, number: 2, status: 'sold' },
      { row: 2, number: 1, status: 'held' },
    ]);
    expect(section).to.deep.include({ available: 5, held: 1, sold: 0, blocked: 2, rows: ['axaa', 'haax'] });
    const decoded = seatsOf({ sections: [section], legend: SEAT_LEGEND });
    expect(decoded.filter((s) => s.status === 'blocked').map((s) => s.id)).to.deep.equal(['FL-1-2', 'FL-2-4']);
  });
});
