import { expect } from 'chai';
import { TickBatcher } from '../../../src/infrastructure/tick-batcher.js';

describe('the tick batcher', () => {
  it('when keys are asked for in one turn, then each group is loaded once per batch, answers in order', async () => {
    const loads: { context: string; keys: number[] }[] = [];
    const batcher = new TickBatcher<string, number, string>(
      async (context, keys) => {
        loads.push({ context, keys });
        return keys.map((key) => `${context}:${key}`);
      },
      { maxBatch: 3 },
    );
    const answers = await Promise.all([1, 2, 3, 4].map((key) => batcher.get('a', 'A', key)).concat([batcher.get('b', 'B', 9)]));
    expect(answers).to.deep.equal(['A:1', 'A:2', 'A:3', 'A:4', 'B:9']);
    expect(loads).to.deep.equal([
      { context: 'A', keys: [1, 2, 3] },
      { context: 'A', keys: [4] },
      { context: 'B', keys: [9] },
    ]);
    expect(await batcher.get('a', 'A', 5)).to.equal('A:5');
    expect(loads).to.have.length(4);
  });

  it('when a load fails, then every look-up of that batch fails with its error', async () => {
    const batcher = new TickBatcher<undefined, string, number>(async () => {
      throw new Error('store down');
    });
    const results = await Promise.allSettled([batcher.get('', undefined, 'x'), batcher.get('', undefined, 'y')]);
    expect(results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'ok'))).to.deep.equal([
      'store down',
      'store down',
    ]);
  });

  it('when a load of the group is out and maxInFlight is 1, then the look-ups of later turns wait and go in one load', async () => {
    const loads: number[][] = [];
    const gates: (() => void)[] = [];
    const batcher = new TickBatcher<undefined, number, number>(
      (_, keys) => {
        loads.push(keys);
        return new Promise((resolve) => gates.push(() => resolve(keys.map((key) => key * 10))));
      },
      { maxInFlight: 1 },
    );
    const first = batcher.get('', undefined, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(loads).to.deep.equal([[1]]);
    const later: Promise<number>[] = [];
    for (const key of [2, 3, 4]) {
      later.push(batcher.get('', undefined, key));
      await new Promise((resolve) => setImmediate(resolve)); // a turn of its own each
    }
    expect(loads).to.deep.equal([[1]]);
    gates.shift()!();
    expect(await first).to.equal(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(loads).to.deep.equal([[1], [2, 3, 4]]);
    gates.shift()!();
    expect(await Promise.all(later)).to.deep.equal([20, 30, 40]);
  });

  it('when the load out fails, then the waiting look-ups still get a load of their own', async () => {
    let calls = 0;
    const batcher = new TickBatcher<undefined, string, string>(
      async (_, keys) => {
        if (calls++ === 0) throw new Error('store down');
        return keys;
      },
      { maxInFlight: 1 },
    );
    const failed = batcher.get('', undefined, 'x').catch((error: Error) => error.message);
    await new Promise((resolve) => setImmediate(resolve));
    const after = batcher.get('', undefined, 'z');
    expect(await failed).to.equal('store down');
    expect(await after).to.equal('z');
    expect(calls).to.equal(2);
  });
});
