import { expect } from 'chai';
import { GroupCommitQueue } from '../../../../src/infrastructure/event-store/group-commit-queue.js';

describe('GroupCommitQueue', () => {
  it('when items arrive while a batch is being written, then they are written together in the next batch', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 10));
        return items.map((item) => item * 2);
      },
      { flushers: 1, maxBatch: 100 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5].map((item) => queue.submit(item)));
    expect(results).to.deep.equal([2, 4, 6, 8, 10]);
    expect(batches).to.deep.equal([[1], [2, 3, 4, 5]]);
  });

  it('when flush answers an Error for one item, then only that item is rejected', async () => {
    const queue = new GroupCommitQueue<number, number>(async (items) => items.map((item) => (item === 2 ? new Error('two') : item)), {
      flushers: 1,
      maxBatch: 100,
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((item) => queue.submit(item)));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('when items are heavy, then a batch stops at the weight limit but always takes one item', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return items;
      },
      { flushers: 1, maxBatch: 100, maxWeight: 10, weigh: (item) => item },
    );
    await Promise.all([1, 4, 4, 4, 50, 1].map((item) => queue.submit(item)));
    expect(batches).to.deep.equal([[1], [4, 4], [4], [50], [1]]);
  });
});
