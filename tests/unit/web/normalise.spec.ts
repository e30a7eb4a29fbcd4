import { expect } from 'chai';
import { listOf, toQueueStatus, toSeatMap, toShow } from '../../../web/src/api/normalise.js';
import { seatLayout } from '../../../web/src/components/seat-layout.js';
import { t } from '../../../web/src/i18n/index.js';
import { rowView, viewContext } from '../../../web/src/components/seat-views.js';

const show = toShow({
  id: 's1',
  title: 'Gala',
  venue: 'Hall',
  startsAt: '2030-01-01T19:00:00Z',
  maxTicketsPerMember: 4,
  currency: 'KRW',
  seating: { sections: [{ id: 'A', name: 'Floor', rows: 2, seatsPerRow: 3, price: 1000 }] },
  queue: { enabled: true, admitPerSecond: 5, maxActive: 10 },
  remaining: 6,
});

describe('web: reading the API answers', () => {
  it('when a show comes with its seating plan, then sections, queue and what is left are read', () => {
    expect(show).to.deep.include({ id: 's1', queueEnabled: true, remaining: 6, currency: 'KRW' });
    expect(show.sections).to.deep.equal([{ id: 'A', name: 'Floor', rows: 2, seatsPerRow: 3, price: 1000 }]);
  });

  it('when the seat map comes compact, then character n of row r is seat <section>-<r>-<n> with its status', () => {
    const map = toSeatMap({
      showId: 's1',
      seating: 'reserved',
      legend: { a: 'available', h: 'held', s: 'sold' },
      sections: [
        { id: 'A', name: 'Floor', price: 1000, available: 4, held: 1, sold: 1, rows: ['aha', 'asa'] },
        { id: 'B', name: 'Balcony', price: 500, available: 0, held: 0, sold: 1, rows: ['s'] },
      ],
    });
    expect(map.seats.get('A-1-2')).to.deep.equal({ id: 'A-1-2', section: 'A', row: '1', number: '2', status: 'held' });
    expect(map.seats.get('A-2-2')?.status).to.equal('sold');
    expect(map.seats.get('B-1-1')?.status).to.equal('sold');
    expect([...map.seats.keys()]).to.deep.equal(['A-1-1', 'A-1-2', 'A-1-3', 'A-2-1', 'A-2-2', 'A-2-3', 'B-1-1']);
    expect(map.remaining).to.equal(undefined);
    expect(seatLayout(show, map)[0]!.rows[1]!.seats).to.deep.equal(['A-2-1', 'A-2-2', 'A-2-3']);
    expect(toSeatMap({ sections: [{ id: 'A', rows: ['a?'] }] }).seats.get('A-1-2')?.status, 'unknown character').to.equal('held');
  });

  it('when the seat map has a blocked seat (x), then it reads as blocked, not taken, and is drawn as no seat without a price', () => {
    const map = toSeatMap({ legend: { a: 'available', h: 'held', s: 'sold', x: 'blocked' }, sections: [{ id: 'A', rows: ['axa'] }] });
    expect(map.seats.get('A-1-2')?.status).to.equal('blocked');
    expect(toSeatMap({ sections: [{ id: 'A', rows: ['x'] }] }).seats.get('A-1-1')?.status, 'the default legend').to.equal('blocked');
    const section = { id: 'A', name: 'Floor', price: 1000, rows: [{ label: '1', seats: ['A-1-1', 'A-1-2', 'A-1-3'] }] };
    const view = rowView(section, 0, viewContext({ show, seatMap: map, selected: [] }));
    expect(view.seats[1]).to.deep.include({ shown: 'blocked', inert: true });
    expect(view.seats[1]!.label).to.contain(t('status.blocked')).and.not.contain('1,000');
  });

  it('when a seat map nests seats in sections and rows, or lists them flat, then every status is found', () => {
    const nested = toSeatMap({ sections: [{ id: 'A', rows: [{ row: 1, seats: [{ id: 'A-1-1', status: 'sold' }] }] }] });
    const flat = toSeatMap({ seats: [{ id: 'A-1-1', status: 'held' }], remaining: 5 });
    const byStatus = toSeatMap({ available: ['A-1-2'], sold: ['A-1-1'] });
    expect(nested.seats.get('A-1-1')).to.deep.equal({ id: 'A-1-1', section: 'A', row: '1', number: '1', status: 'sold' });
    expect(flat.seats.get('A-1-1')?.status).to.equal('held');
    expect(flat.remaining).to.equal(5);
    expect([...byStatus.seats.values()].map((s) => s.status)).to.deep.equal(['available', 'sold']);
  });

  it('when the layout comes from the plan, then every seat is drawn, row by row', () => {
    const layout = seatLayout(show, toSeatMap({ seats: [{ id: 'A-1-1', status: 'available' }] }));
    expect(layout[0]!.rows.map((r) => r.seats)).to.deep.equal([
      ['A-1-1', 'A-1-2', 'A-1-3'],
      ['A-2-1', 'A-2-2', 'A-2-3'],
    ]);
  });

  it('when the seat map uses ids the plan does not, then the layout follows the seat map', () => {
    const layout = seatLayout(
      show,
      toSeatMap({
        seats: [
          { id: 'A-2-10', status: 'sold' },
          { id: 'A-2-9', status: 'available' },
        ],
      }),
    );
    expect(layout).to.deep.equal([{ id: 'A', name: 'Floor', price: 1000, rows: [{ label: '2', seats: ['A-2-9', 'A-2-10'] }] }]);
  });

  it('when the queue answers, then waiting, pre-queue, admitted and closed are told apart', () => {
    expect(toQueueStatus({ state: 'waiting', preQueue: false, position: 3, ahead: 2, etaSeconds: 1 })).to.deep.include({
      position: 3,
      ahead: 2,
    });
    // while the places are taken the wait comes as a range
    expect(
      toQueueStatus({ state: 'waiting', preQueue: false, position: 1, ahead: 0, etaSeconds: 40, etaHighSeconds: 900 }),
    ).to.deep.include({
      etaSeconds: 40,
      etaHighSeconds: 900,
    });
    expect(toQueueStatus({ state: 'waiting', preQueue: true, position: null, ahead: null, etaSeconds: 60 })).to.deep.include({
      preQueue: true,
      position: undefined,
    });
    expect(toQueueStatus({ state: 'admitted', admissionToken: 't', expiresAt: 'x', tokenExpiresAt: 'y' })).to.deep.include({
      tokenExpiresAt: 'y',
    });
    expect(toQueueStatus({ state: 'closed', reason: 'sold_out' })).to.deep.equal({ state: 'closed', reason: 'sold_out' });
    expect(toQueueStatus({ state: 'gone' })).to.deep.equal({ state: 'none' });
  });

  it('when a list comes bare or wrapped, then its items are found', () => {
    expect(listOf([1])).to.deep.equal([1]);
    expect(listOf({ shows: [2] }, 'shows')).to.deep.equal([2]);
    expect(listOf({ items: [3] })).to.deep.equal([3]);
  });
});
