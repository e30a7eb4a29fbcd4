import { expect } from 'chai';
import { InvalidShow } from '../../../../src/domain/catalog/catalog.errors.js';
import type { ScheduleShow } from '../../../../src/domain/catalog/show.commands.js';
import { showDecider } from '../../../../src/domain/catalog/show.decider.js';
import type { SectionSpec } from '../../../../src/domain/catalog/show.events.js';
import { SHOW_ID, reservedShow } from '../booking/fixtures.js';

const BASE: SectionSpec = { id: 'A', name: 'Stalls', rows: 3, seatsPerRow: 10, price: 5000 };
const schedule = (section: SectionSpec): ScheduleShow => ({
  type: 'ScheduleShow',
  showId: SHOW_ID,
  show: reservedShow({ seating: { sections: [BASE, { ...section, id: 'B' }] } }),
  now: new Date('2026-11-01T00:00:00.000Z'),
});

function fieldRefused(section: SectionSpec): unknown {
  try {
    showDecider.decide(schedule(section), showDecider.initialState());
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidShow);
    return (error as InvalidShow).details?.field;
  }
  throw new Error('expected the show to be refused');
}

describe('a section layout when the show is scheduled', () => {
  it('when a section has no layout options, then it is scheduled as before', () => {
    expect(showDecider.decide(schedule(BASE), showDecider.initialState())).to.have.length(1);
  });

  it('when rank, focal point, aisles, quality and accessible seats are inside the section, then it is scheduled', () => {
    const section = {
      ...BASE,
      rank: 2,
      focal: { row: 0.5, seat: 5.5 },
      aisles: [5],
      seatQuality: { '1-1': 4000 },
      wheelchair: ['3-1'],
      companions: ['3-2'],
    };
    expect(showDecider.decide(schedule(section), showDecider.initialState())).to.have.length(1);
  });

  it('when a seat, an aisle or the focal point lies outside the section, then the refusal names the field', () => {
    expect(fieldRefused({ ...BASE, wheelchair: ['1-1', '4-1'] })).to.equal('seating.sections[1].wheelchair[1]');
    expect(fieldRefused({ ...BASE, companions: ['1-11'] })).to.equal('seating.sections[1].companions[0]');
    expect(fieldRefused({ ...BASE, seatQuality: { '9-9': 1 } })).to.equal('seating.sections[1].seatQuality.9-9');
    expect(fieldRefused({ ...BASE, aisles: [10] })).to.equal('seating.sections[1].aisles[0]');
    expect(fieldRefused({ ...BASE, focal: { row: 9, seat: 1 } })).to.equal('seating.sections[1].focal');
  });

  it('when a seat is both a wheelchair place and a companion seat, then the companion entry is named', () => {
    expect(fieldRefused({ ...BASE, wheelchair: ['1-1'], companions: ['1-2', '1-1'] })).to.equal('seating.sections[1].companions[1]');
  });

  it('when seats are blocked inside the section, then it is scheduled', () => {
    expect(showDecider.decide(schedule({ ...BASE, blocked: ['1-1', '2-5'] }), showDecider.initialState())).to.have.length(1);
  });

  it('when a blocked seat is outside the section, named twice or an accessible place, then the refusal names that entry', () => {
    expect(fieldRefused({ ...BASE, blocked: ['1-1', '3-11'] })).to.equal('seating.sections[1].blocked[1]');
    expect(fieldRefused({ ...BASE, blocked: ['4-1'] })).to.equal('seating.sections[1].blocked[0]');
    expect(fieldRefused({ ...BASE, blocked: ['1-1', '2-2', '1-1'] })).to.equal('seating.sections[1].blocked[2]');
    expect(fieldRefused({ ...BASE, wheelchair: ['3-1'], blocked: ['3-1'] })).to.equal('seating.sections[1].blocked[0]');
    expect(fieldRefused({ ...BASE, companions: ['3-2'], blocked: ['1-4', '3-2'] })).to.equal('seating.sections[1].blocked[1]');
  });

  it('when every seat of a section is blocked, then the refusal names the list', () => {
    const tiny = { ...BASE, rows: 1, seatsPerRow: 2 };
    expect(fieldRefused({ ...tiny, blocked: ['1-1', '1-2'] })).to.equal('seating.sections[1].blocked');
  });
});
