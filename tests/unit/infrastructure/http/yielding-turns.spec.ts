import { expect } from 'chai';
import { YieldingTurns } from '../../../../src/infrastructure/http/yielding-turns.js';

/** Lets every settled promise's continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('YieldingTurns', () => {
  it('when the limit is reached, then the next wait their turn in arrival order, and each runs as one ends', async () => {
    const turns = new YieldingTurns(2);
    const started: number[] = [];
    const dones: (() => void)[] = [];
    for (let i = 0; i < 5; i++) void turns.turn().then((done) => (started.push(i), (dones[i] = done)));
    await settle();
    expect(started).to.deep.equal([0, 1]);
    expect([turns.running, turns.queued]).to.deep.equal([2, 3]);
    dones[1]!();
    await settle();
    expect(started).to.deep.equal([0, 1, 2]);
    dones[0]!();
    dones[2]!();
    await settle();
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
    expect([turns.running, turns.queued]).to.deep.equal([2, 0]);
    dones[3]!();
    dones[4]!();
    expect([turns.running, turns.queued]).to.deep.equal([0, 0]);
  });

  it('when a request says it is done twice (parked, then answered), then it frees one place only', async () => {
    const turns = new YieldingTurns(1);
    const first = await turns.turn();
    let second: (() => void) | undefined;
    let third: (() => void) | undefined;
    void turns.turn().then((done) => (second = done));
    void turns.turn().then((done) => (third = done));
    first();
    first();
    await settle();
    expect(second).to.be.a('function');
    expect(third).to.equal(undefined);
    expect([turns.running, turns.queued]).to.deep.equal([1, 1]);
  });

  it('when a newcomer arrives while others wait, then it waits behind them even though a place is free', async () => {
    const turns = new YieldingTurns(1);
    const order: string[] = [];
    const first = await turns.turn();
    void turns.turn().then((done) => (order.push('waiting'), done()));
    first();
    // the place is handed to the one waiting, not left free for whoever asks next
    void turns.turn().then((done) => (order.push('newcomer'), done()));
    await settle();
    expect(order).to.deep.equal(['waiting', 'newcomer']);
  });

  it('when thousands wait, then every one runs, in order, and nothing is left behind', async () => {
    const turns = new YieldingTurns(3);
    const started: number[] = [];
    const all = Array.from({ length: 5000 }, (_, i) =>
      turns.turn().then(async (done) => {
        started.push(i);
        await settle();
        done();
      }),
    );
    await Promise.all(all);
    expect(started).to.deep.equal(Array.from({ length: 5000 }, (_, i) => i));
    expect([turns.running, turns.queued]).to.deep.equal([0, 0]);
  });

  it('when the limit is 0, then nobody waits', async () => {
    const turns = new YieldingTurns(0);
    const dones = await Promise.all(Array.from({ length: 100 }, () => turns.turn()));
    expect([turns.running, turns.queued]).to.deep.equal([100, 0]);
    dones.forEach((done) => done());
    expect(turns.running).to.equal(0);
  });
});
