import { expect } from 'chai';
import { MailPacer, type MachineCpu } from '../../../../src/infrastructure/mail/mail-pacer.js';

/** A machine whose idle share between two readings is whatever the spec sets before the tick. */
function machine(): MachineCpu & { idle: number } {
  let reading = 0;
  const cpu = {
    idle: 1,
    times: () => ({ idle: 0, total: ++reading }),
    idleShareSince: () => cpu.idle,
  };
  return cpu;
}

describe('MailPacer: when the mail sender starts a round', () => {
  it('when the machine has CPU to spare, then every tick starts a round', () => {
    const cpu = machine();
    let now = 0;
    const pacer = new MailPacer({}, cpu, () => now);
    const rounds = Array.from({ length: 5 }, () => ((now += 1000), pacer.roundDue(true)));
    expect(rounds).to.deep.equal([true, true, true, true, true]);
  });

  it('when the machine is busy and mails pile up (a sale), then one round every busyIntervalMs, and every tick again once it is idle', () => {
    const cpu = machine();
    let now = 0;
    const pacer = new MailPacer({ minIdleShare: 0.25, busyIntervalMs: 10_000 }, cpu, () => now);
    cpu.idle = 0.1;
    const busy = Array.from({ length: 25 }, () => ((now += 1000), pacer.roundDue(true)));
    // the first busy tick starts a round (none was started before), then one every 10 s
    expect(busy.flatMap((due, i) => (due ? [i + 1] : []))).to.deep.equal([1, 11, 21]);
    cpu.idle = 0.6;
    now += 1000;
    expect(pacer.roundDue(true)).to.equal(true);
    now += 1000;
    expect(pacer.roundDue(true)).to.equal(true);
  });

  it('when the machine is busy but the last round emptied the outbox, then every tick starts a round (a trickle goes out at once)', () => {
    const cpu = machine();
    let now = 0;
    const pacer = new MailPacer({ minIdleShare: 0.25, busyIntervalMs: 10_000 }, cpu, () => now);
    cpu.idle = 0.1;
    const rounds = Array.from({ length: 5 }, () => ((now += 1000), pacer.roundDue(false)));
    expect(rounds).to.deep.equal([true, true, true, true, true]);
    // mails pile up: from now on, paced from the last round
    now += 1000;
    expect(pacer.roundDue(true)).to.equal(false);
  });

  it('when the idle share is just at the threshold, then the machine counts as having room', () => {
    const cpu = machine();
    let now = 0;
    const pacer = new MailPacer({ minIdleShare: 0.25, busyIntervalMs: 10_000 }, cpu, () => now);
    cpu.idle = 0.25;
    expect([pacer.roundDue(true), ((now += 1000), pacer.roundDue(true))]).to.deep.equal([true, true]);
  });
});
