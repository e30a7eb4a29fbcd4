import { expect } from 'chai';
import { pbkdf2Sync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { THREAD_KINDS, threadKindOf, threadSecondsOf } from '../../../bench/load/proc-cpu.js';
import { serverThreads } from '../../../bench/load/report.js';

describe("thread CPU: a server's CPU by kind of thread", () => {
  it("when a thread is named, then Node's event loop, V8's helpers and libuv's pool are told apart", () => {
    expect(threadKindOf('MainThread', 10, 11)).to.equal('main');
    expect(threadKindOf('node', 10, 10)).to.equal('main');
    expect(threadKindOf('V8Worker', 10, 12)).to.equal('v8');
    expect(threadKindOf('libuv-worker', 10, 13)).to.equal('libuv');
    expect(threadKindOf('SignalInspector', 10, 14)).to.equal('other');
  });

  it('when this process works on its event loop, then /proc shows the seconds on its main thread', function () {
    // Linux's /proc (the load tool's home); elsewhere there is nothing to read
    if (!existsSync('/proc/self/task')) this.skip();
    const before = threadSecondsOf(process.pid);
    const until = Date.now() + 300;
    while (Date.now() < until) pbkdf2Sync('onsale', 'salt', 1_000, 32, 'sha256');
    const after = threadSecondsOf(process.pid);
    expect(after.main - before.main).to.be.greaterThan(0.1);
    for (const kind of THREAD_KINDS) expect(after[kind]).to.be.at.least(before[kind]);
  });

  it('when a process is gone, then it has no seconds (not an error)', () => {
    expect(threadSecondsOf(2 ** 22 + 7)).to.deep.equal({ main: 0, v8: 0, libuv: 0, other: 0 });
  });

  it('when the shares and bookings are given, then the line gives each kind as % of the machine and µs a booking', () => {
    // 10 % of a 2-core machine for 10 s is 2 CPU-s: over 4,000 bookings, 500 µs each
    const line = serverThreads({ main: 10, v8: 5, libuv: 0.5, other: 0 }, 4_000, 10, 2);
    expect(line).to.equal(
      'server threads (of the machine): event loops 10.0%, 500 µs a booking; V8 helpers (garbage collector, compilers) 5.0%, 250 µs a booking; ' +
        'libuv pool 0.5%, 25 µs a booking; other 0.0%, 0 µs a booking',
    );
  });
});
