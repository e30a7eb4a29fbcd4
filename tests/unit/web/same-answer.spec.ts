import { expect } from 'chai';
import { toSeatMap, toShow } from '../../../web/src/api/normalise.js';
import { sameSeatMap, sameShow } from '../../../web/src/api/same-answer.js';

const map = (rows: string[]) => toSeatMap({ sections: [{ id: 'A', rows }] });

describe('web: whether a poll brought anything new', () => {
  it('when every seat has the status it had, then the seat map is the same', () => {
    expect(sameSeatMap(map(['aah', 'sa']), map(['aah', 'sa']))).to.equal(true);
  });

  it('when one seat changed, a seat came or went, or the count left changed, then it is not', () => {
    expect(sameSeatMap(map(['aah', 'sa']), map(['aah', 'ss']))).to.equal(false);
    expect(sameSeatMap(map(['aah', 'sa']), map(['aah', 'sa', 'a']))).to.equal(false);
    expect(sameSeatMap({ seats: new Map(), remaining: 3 }, { seats: new Map(), remaining: 2 })).to.equal(false);
  });

  it('when the show answers the same, then it is the same show; a change or no show before is not', () => {
    const raw = { id: 's', title: 'T', venue: 'V', startsAt: '2027-01-01T10:00:00Z', currency: 'KRW', remaining: 10 };
    expect(sameShow(toShow(raw), toShow(raw))).to.equal(true);
    expect(sameShow(toShow(raw), toShow({ ...raw, remaining: 9 }))).to.equal(false);
    expect(sameShow(undefined, toShow(raw))).to.equal(false);
  });
});
