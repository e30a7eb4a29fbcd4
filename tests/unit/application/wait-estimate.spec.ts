import { expect } from 'chai';
import fc from 'fast-check';
import { admissionCurve, estimateWait, simulatedCurve, wholeSeconds } from '../../../src/application/admission/wait-estimate.js';

const now = 1_000_000;
const session = { typical: 60, longest: 600 };

describe('the waiting room: how long a member waits, from the rate and the places', () => {
  it('when places are free, then only the rate counts', () => {
    expect(estimateWait({ ahead: 9, admitPerSecond: 2, maxActive: 100, leaseEnds: [], now, sessionSeconds: session })).to.deep.equal({
      lowSeconds: 5,
      highSeconds: 5,
    });
  });

  it('when the one place is taken (maxActive 1, 1 a second), then the wait is at least until that place frees up, not one second', () => {
    const blocked = estimateWait({ ahead: 0, admitPerSecond: 1, maxActive: 1, leaseEnds: [now + 40_000], now, sessionSeconds: session });
    expect(blocked.lowSeconds).to.equal(40);
    // its holder may keep it as long as a place can be held
    expect(blocked.highSeconds).to.equal(600);
  });

  it('when every place is taken, then people further back wait for places to come round again', () => {
    const leaseEnds = Array.from({ length: 10 }, (_, i) => now + i * 1000);
    const wait = estimateWait({ ahead: 29, admitPerSecond: 100, maxActive: 10, leaseEnds, now, sessionSeconds: session });
    // 10 admitted as the places free (0–9 s), 10 more a session later, then the 30th a session after that
    expect(wait.lowSeconds).to.equal(129);
    expect(wait.highSeconds).to.equal(1800);
  });

  it('whatever the queue, the estimate is never shorter than the rate allows nor than the first place takes to free up, and the range is ordered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.integer({ min: 0, max: 900_000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 900 }),
        fc.integer({ min: 0, max: 900 }),
        (ahead, rate, maxActive, leaseIn, longest, typical) => {
          const leaseEnds = leaseIn.map((ms) => now + ms);
          const wait = estimateWait({ ahead, admitPerSecond: rate, maxActive, leaseEnds, now, sessionSeconds: { typical, longest } });
          expect(wait.lowSeconds).to.be.at.least(Math.ceil((ahead + 1) / rate) - 1e-9);
          expect(wait.highSeconds).to.be.at.least(wait.lowSeconds);
          if (leaseIn.length >= maxActive) {
            // blocked: nobody gets in before the first place frees up
            const firstFree = Math.min(...leaseIn.slice(0, maxActive)) / 1000;
            expect(wait.lowSeconds).to.be.at.least(Math.floor(firstFree));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the curve read in closed form gives every admission the time the one-by-one simulation gives it, and so the same waits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 900 }),
        fc.array(fc.integer({ min: 0, max: 900_000 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 3000 }),
        (rate, places, session, freeMs, steps) => {
          // as waitCurve draws them: the open places at 0, then the taken ones, ascending
          const taken = freeMs.slice(0, places).map((ms) => ms / 1000);
          const frees = [...Array.from({ length: places - taken.length }, () => 0), ...taken.sort((a, b) => a - b)];
          const closed = admissionCurve(rate, frees, session, steps);
          const simulated = simulatedCurve(rate, frees, session, steps);
          for (const n of [1, 2, places, places + 1, 2 * places + 3, steps, steps + 1, steps + 5000]) {
            expect(Math.abs(closed(n) - simulated(n))).to.be.below(1e-6 * Math.max(1, simulated(n)));
            // what members are told: whole seconds (the two sum in different orders, so a time that is
            // a whole second may come out a hair either side of it: rate 6, 12 places, session 11)
            expect(wholeSeconds(closed(n))).to.equal(wholeSeconds(simulated(n)));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a whole second that floating point carried a hair past is still that second; anything further is the next', () => {
    expect(wholeSeconds(1035.6666666666667 + 5000 / (12 / 11))).to.equal(5619);
    expect(wholeSeconds(5619.001)).to.equal(5620);
    expect(wholeSeconds(0)).to.equal(0);
    expect(wholeSeconds(0.2)).to.equal(1);
  });

  it('a place that frees up later than a session from now: the curve is the simulation itself', () => {
    const frees = [0, 5, 300];
    const curve = admissionCurve(2, frees, 60, 100);
    const simulated = simulatedCurve(2, frees, 60, 100);
    for (let n = 1; n <= 120; n++) expect(curve(n)).to.equal(simulated(n));
  });
});
