import { TickBatcher } from './tick-batcher.js';

/**
 * The write-side sibling of TickBatcher: the items written in one turn of the event loop go to one
 * `write` per `maxBatch` items, and each caller's promise settles when its batch's write does
 * (a failed write rejects every caller of that batch).
 */
export class TickWriter<T> {
  private readonly batcher: TickBatcher<undefined, T, void>;

  constructor(write: (items: T[]) => Promise<void>, maxBatch = 500) {
    this.batcher = new TickBatcher(
      async (_, items) => {
        await write(items);
        return items.map(() => undefined);
      },
      { maxBatch },
    );
  }

  write(item: T): Promise<void> {
    return this.batcher.get('', undefined, item);
  }
}
