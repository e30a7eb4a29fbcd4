import { expect } from 'chai';
import { SaleControlRefused, UnsafeChange } from '../../../../src/domain/catalog/catalog.errors.js';
import { saleState } from '../../../../src/domain/catalog/run-sale.js';
import type { SaleControl } from '../../../../src/domain/catalog/show.commands.js';
import { showDecider } from '../../../../src/domain/catalog/show.decider.js';
import type { ShowEvent } from '../../../../src/domain/catalog/show.events.js';
import { deciderSpec } from '../../../support/decider-spec.js';
import { LATER, OPEN, SHOW_ID, reservedShow, scheduled } from '../booking/fixtures.js';

const given = deciderSpec(showDecider);
const ADMIN = '7b0c2a56-0000-4000-8000-000000000001';
const queued = reservedShow({ queue: { enabled: true, admitPerSecond: 10, maxActive: 100 } });
const run = (control: SaleControl, now: Date) => ({ type: 'RunSale' as const, showId: SHOW_ID, control, now, by: ADMIN });
const changed = (action: string, changes: object, now: Date): ShowEvent =>
  ({ type: 'ShowSaleChanged', data: { showId: SHOW_ID, changes, changedAt: now.toISOString(), by: ADMIN, action } }) as ShowEvent;
const before = new Date(OPEN.getTime() - 60_000);

describe('running the sale (show decider)', () => {
  it('when the organizer opens a scheduled sale now, then it opens at that moment, recorded with who did it', () => {
    given([scheduled(reservedShow())])
      .when(run({ action: 'open-now' }, before))
      .then([changed('open-now', { salesOpenAt: before.toISOString() }, before)]);
  });

  it('when the sale is open already, then opening it now records nothing', () => {
    given([scheduled(reservedShow())])
      .when(run({ action: 'open-now' }, LATER(5)))
      .then([]);
  });

  it('when the organizer closes an open sale, then it closes now; closed again, nothing more is recorded', () => {
    const closed = changed('close-now', { salesCloseAt: LATER(5).toISOString() }, LATER(5));
    given([scheduled(reservedShow())])
      .when(run({ action: 'close-now' }, LATER(5)))
      .then([closed]);
    given([scheduled(reservedShow()), closed])
      .when(run({ action: 'close-now' }, LATER(6)))
      .then([]);
  });

  it('when a closed sale without a waiting room is opened now, then its closing time goes; with a waiting room it is refused', () => {
    const close = {
      type: 'ShowSaleChanged' as const,
      data: { showId: SHOW_ID, changes: { salesCloseAt: LATER(5).toISOString() }, changedAt: '' },
    };
    given([scheduled(reservedShow()), close])
      .when(run({ action: 'open-now' }, LATER(9)))
      .then([changed('open-now', { salesCloseAt: null }, LATER(9))]);
    given([scheduled(queued), close])
      .when(run({ action: 'open-now' }, LATER(9)))
      .thenThrows(SaleControlRefused, 'CATALOG.SALE_CONTROL_REFUSED');
  });

  it('when a sale that has not opened is closed, or the show has started, then the control is refused', () => {
    given([scheduled(reservedShow())])
      .when(run({ action: 'close-now' }, before))
      .thenThrows(SaleControlRefused);
    given([scheduled(reservedShow())])
      .when(run({ action: 'open-now' }, new Date('2026-12-21T00:00:00.000Z')))
      .thenThrows(SaleControlRefused);
  });

  it('when admissions are paused and resumed, then the queue settings carry the pause; a second pause records nothing', () => {
    const paused = changed('pause-admissions', { queue: { ...queued.queue, paused: true } }, LATER(2));
    given([scheduled(queued)])
      .when(run({ action: 'pause-admissions' }, LATER(2)))
      .then([paused]);
    given([scheduled(queued), paused])
      .when(run({ action: 'pause-admissions' }, LATER(3)))
      .then([]);
    given([scheduled(queued), paused])
      .when(run({ action: 'resume-admissions' }, LATER(4)))
      .then([changed('resume-admissions', { queue: { ...queued.queue, paused: false } }, LATER(4))]);
  });

  it('when the show has no waiting room, then pausing admissions is refused', () => {
    given([scheduled(reservedShow())])
      .when(run({ action: 'pause-admissions' }, LATER(2)))
      .thenThrows(SaleControlRefused);
  });

  it('when the admission rate or maxActive is set live, then only what was given changes, and the pause stays', () => {
    const paused = changed('pause-admissions', { queue: { ...queued.queue, paused: true } }, LATER(2));
    given([scheduled(queued), paused])
      .when(run({ action: 'set-admission', maxActive: 5 }, LATER(3)))
      .then([changed('set-admission', { queue: { ...queued.queue, paused: true, maxActive: 5 } }, LATER(3))]);
  });

  it('when settings are changed while paused, then the pause stays; switching the queue off after opening is still unsafe', () => {
    const paused = changed('pause-admissions', { queue: { ...queued.queue, paused: true } }, LATER(2));
    const events = showDecider.decide(
      {
        type: 'ChangeShowSale',
        showId: SHOW_ID,
        changes: { queue: { enabled: true, admitPerSecond: 99, maxActive: 100 } },
        now: LATER(3),
        by: ADMIN,
      },
      [scheduled(queued), paused].reduce(showDecider.evolve, showDecider.initialState()),
    );
    expect(events[0]!.data).to.deep.include({
      by: ADMIN,
      action: 'change',
      changes: { queue: { enabled: true, admitPerSecond: 99, maxActive: 100, paused: true } },
    });
    given([scheduled(queued), paused])
      .when({
        type: 'ChangeShowSale',
        showId: SHOW_ID,
        changes: { queue: { enabled: false, admitPerSecond: 9, maxActive: 9 } },
        now: LATER(3),
      })
      .thenThrows(UnsafeChange);
  });

  it('when asked where a sale stands, then scheduled, on sale, paused, sold out and closed are told apart', () => {
    expect(saleState(queued, 10, before)).to.equal('scheduled');
    expect(saleState(queued, 10, LATER(1))).to.equal('on-sale');
    expect(saleState({ ...queued, queue: { ...queued.queue, paused: true } }, 10, LATER(1))).to.equal('paused');
    expect(saleState(queued, 0, LATER(1))).to.equal('sold-out');
    expect(saleState({ ...queued, salesCloseAt: LATER(1).toISOString() }, 10, LATER(2))).to.equal('closed');
  });
});
