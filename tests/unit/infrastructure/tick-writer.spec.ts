import { expect } from 'chai';
import { TickWriter } from '../../../src/infrastructure/tick-writer.js';

describe('the tick writer', () => {
  it('when items are written in one turn, then they go to one write per batch, in order, and each caller waits for its batch', async () => {
    const writes: number[][] = [];
    const finish: (() => void)[] = [];
    const writer = new TickWriter<number>((items) => {
      writes.push(items);
      return new Promise((resolve) => finish.push(resolve));
    }, 3);
    const settled: number[] = [];
    const calls = [1, 2, 3, 4].map((item) => writer.write(item).then(() => settled.push(item)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).to.deep.equal([[1, 2, 3], [4]]);
    finish[1]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled, 'only the finished batch').to.deep.equal([4]);
    finish[0]!();
    await Promise.all(calls);
    expect(settled).to.deep.equal([4, 1, 2, 3]);
  });

  it('when a write fails, then every caller of that batch is rejected with its error, and other batches are not', async () => {
    const writer = new TickWriter<string>(async (items) => {
      if (items.includes('bad')) throw new Error('constraint broken');
    }, 2);
    const results = await Promise.allSettled(['ok', 'bad', 'fine'].map((item) => writer.write(item)));
    expect(results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'ok'))).to.deep.equal([
      'constraint broken',
      'constraint broken',
      'ok',
    ]);
  });
});
