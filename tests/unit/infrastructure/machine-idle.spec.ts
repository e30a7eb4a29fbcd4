import { expect } from 'chai';
import { cpuTimes, idleShareSince } from '../../../src/infrastructure/machine-idle.js';

describe("machine-idle: the share of the machine's CPU left idle, for background work to yield", () => {
  it('when 300 of 1,000 ms of CPU time were idle, then the share is 0.3', () => {
    expect(idleShareSince({ idle: 100, total: 1000 }, { idle: 400, total: 2000 })).to.equal(0.3);
  });

  it('when no time has passed, then the machine counts as idle (nothing says otherwise)', () => {
    expect(idleShareSince({ idle: 5, total: 10 }, { idle: 5, total: 10 })).to.equal(1);
  });

  it('when read from the operating system, then the times only grow and idle is part of the total', () => {
    const first = cpuTimes();
    const second = cpuTimes();
    expect(first.total).to.be.greaterThan(0);
    expect(first.idle).to.be.at.most(first.total);
    expect(second.total).to.be.at.least(first.total);
    expect(idleShareSince(first, second)).to.be.within(0, 1);
  });
});
