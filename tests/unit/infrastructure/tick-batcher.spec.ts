import { expect } from 'chai';
import { TickBatcher } from '../../../src/infrastructure/tick-batcher.js';

describe('the tick batcher', () => {
  it('when keys are asked for in one turn, then each group is loaded once per batch, answers in order', async () => {
    const loads: { context: string; keys: number[] }[] = [];
    const batcher = new TickBatcher<string, number, string>(async (context, keys) => {
      loads.push({ context, keys });
      return keys.map((key) => `${context}:${key}`);
    }, 3);
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
});
