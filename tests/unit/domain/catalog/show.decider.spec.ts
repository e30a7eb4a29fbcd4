import { InvalidShow, ShowAlreadyScheduled, ShowNotFound, UnsafeChange } from '../../../../src/domain/catalog/catalog.errors.js';
import { showDecider } from '../../../../src/domain/catalog/show.decider.js';
import { inventoryParts } from '../../../../src/domain/catalog/show-layout.js';
import { expect } from 'chai';
import { deciderSpec } from '../../../support/decider-spec.js';
import { LATER, OPEN, SHOW_ID, poolShow, reservedShow, scheduled } from '../booking/fixtures.js';

const given = deciderSpec(showDecider);
const before = new Date(OPEN.getTime() - 60_000);

describe('the show decider', () => {
  it('when a new show is scheduled, then ShowScheduled carries its definition', () => {
    given([])
      .when({ type: 'ScheduleShow', showId: SHOW_ID, show: reservedShow(), now: new Date('2026-11-01T00:00:00.000Z') })
      .then([scheduled(reservedShow())]);
  });

  it('when the show exists already, then scheduling it again is a conflict', () => {
    given([scheduled(reservedShow())])
      .when({ type: 'ScheduleShow', showId: SHOW_ID, show: reservedShow(), now: before })
      .thenThrows(ShowAlreadyScheduled, 'CATALOG.SHOW_EXISTS');
  });

  it('when sales would open after the show starts, then the show is invalid', () => {
    given([])
      .when({ type: 'ScheduleShow', showId: SHOW_ID, show: reservedShow({ salesOpenAt: '2026-12-21T00:00:00.000Z' }), now: before })
      .thenThrows(InvalidShow);
  });

  it('when the dates are out of order, then the refusal names the field to correct', () => {
    const fieldOf = (show: ReturnType<typeof reservedShow>) => {
      try {
        showDecider.decide({ type: 'ScheduleShow', showId: SHOW_ID, show, now: before }, showDecider.initialState());
      } catch (error) {
        return (error as InvalidShow).details?.field;
      }
    };
    expect(fieldOf(reservedShow({ salesOpenAt: '2026-12-21T00:00:00.000Z' }))).to.equal('salesOpenAt');
    expect(fieldOf(reservedShow({ salesCloseAt: '2026-12-21T00:00:00.000Z' }))).to.equal('salesCloseAt');
  });

  it('when two sections share an id, then the show is invalid', () => {
    const show = reservedShow({ seating: { sections: [1, 2].map(() => ({ id: 'A', name: 'x', rows: 1, seatsPerRow: 1, price: 1 })) } });
    given([]).when({ type: 'ScheduleShow', showId: SHOW_ID, show, now: before }).thenThrows(InvalidShow);
  });

  it('when the sale changes before it opens, then anything in the sale may change', () => {
    const changes = { salesOpenAt: LATER(3600).toISOString(), maxTicketsPerMember: 2 };
    given([scheduled(reservedShow())])
      .when({ type: 'ChangeShowSale', showId: SHOW_ID, changes, now: before })
      .then([{ type: 'ShowSaleChanged', data: { showId: SHOW_ID, changes, changedAt: before.toISOString(), action: 'change' } }]);
  });

  for (const [what, changes] of [
    ['the opening time', { salesOpenAt: LATER(3600).toISOString() }],
    ['a lower limit', { maxTicketsPerMember: 2 }],
    ['switching the queue on', { queue: { enabled: true, admitPerSecond: 10, maxActive: 100 } }],
  ] as const) {
    it(`when sales have opened, then ${what} is an unsafe change`, () => {
      given([scheduled(reservedShow())])
        .when({ type: 'ChangeShowSale', showId: SHOW_ID, changes, now: LATER(1) })
        .thenThrows(UnsafeChange, 'CATALOG.UNSAFE_CHANGE');
    });
  }

  it('when sales have opened, then a higher limit and a new admission rate are safe', () => {
    const changes = { maxTicketsPerMember: 6, queue: { enabled: false, admitPerSecond: 50, maxActive: 10 } };
    given([scheduled(reservedShow())])
      .when({ type: 'ChangeShowSale', showId: SHOW_ID, changes, now: LATER(1) })
      .then([{ type: 'ShowSaleChanged', data: { showId: SHOW_ID, changes, changedAt: LATER(1).toISOString(), action: 'change' } }]);
  });

  it('when the closing time falls after the start, then the change is invalid', () => {
    given([scheduled(reservedShow())])
      .when({ type: 'ChangeShowSale', showId: SHOW_ID, changes: { salesCloseAt: '2026-12-21T00:00:00.000Z' }, now: before })
      .thenThrows(InvalidShow);
  });

  it('when the show does not exist, then changing it is not found', () => {
    given([]).when({ type: 'ChangeShowSale', showId: SHOW_ID, changes: {}, now: before }).thenThrows(ShowNotFound);
  });

  it('when a pool is large, then it is split into shards that add up to its capacity', () => {
    const parts = inventoryParts(poolShow(101));
    expect(parts.map((p) => p.part)).to.deep.equal(['ga0', 'ga1', 'ga2', 'ga3']);
    expect(parts.reduce((sum, p) => sum + p.capacity!, 0)).to.equal(101);
    expect(inventoryParts(poolShow(10))).to.have.length(1);
  });
});
