import { expect } from 'chai';
import type { Answer } from '../../../bench/chaos/buyers.js';
import { mostAtOnce, summarize } from '../../../bench/chaos/fault-report.js';
import type { FaultRun } from '../../../bench/chaos/fault-run.js';

const answer = (op: Answer['op'], status: number, sentAt: number, ms: number): Answer => ({ op, status, at: sentAt + ms, ms });

function run(answers: Answer[], queue?: FaultRun['queue']): FaultRun {
  return {
    fault: 'f',
    description: '',
    marks: { injected: 5_000, healed: 5_000, ended: 25_000 },
    answers,
    confirms: [],
    probes: [],
    queue,
  };
}

describe('the chaos report', () => {
  it('when failures come before, in and after the fault window, then each is counted on its side', () => {
    const summary = summarize(
      run([
        answer('hold', 503, 1_000, 10), // before the injection
        answer('confirm', 0, 4_000, 15_000), // in flight at the injection: inside
        answer('poll', 502, 14_000, 10), // within 10 s of the heal: inside
        answer('hold', 502, 15_500, 10), // sent after the window: outside
        answer('hold', 201, 16_000, 10),
      ]),
    );
    expect(summary.window).to.deep.equal({ from: 5, to: 15 });
    expect(summary.failures).to.deep.equal({ inside: { 0: 1, 502: 1 }, outside: { 503: 1, 502: 1 } });
  });

  it('when admissions overlap, then the most at once counts those in force at one instant (an end and a start at the same instant do not overlap)', () => {
    const stays = [
      { memberId: 'a', from: 0, to: 10 },
      { memberId: 'b', from: 5, to: 20 },
      { memberId: 'c', from: 10, to: 30 },
      { memberId: 'd', from: 12, to: 13 },
    ];
    expect(mostAtOnce(stays)).to.equal(3);
    const summary = summarize(run([], { stays, leases: [{ at: 1, active: 2 }], maxActive: 3 }));
    expect(summary.admittedAtOnce).to.deep.equal({ clients: 3, leases: 2, maxActive: 3 });
  });
});
