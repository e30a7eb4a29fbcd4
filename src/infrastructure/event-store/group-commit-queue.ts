export interface GroupCommitOptions<Item> {
  /** Most batches written at once; more than one only starts while a full batch waits. */
  flushers: number;
  /** Most items in one batch. */
  maxBatch: number;
  /** Most total weight in one batch (a batch always takes at least one item). */
  maxWeight?: number;
  weigh?: (item: Item) => number;
}

/**
 * Group commit: concurrent submissions queue up and a flusher hands many of them to `flush` at
 * once (one transaction). `flush` returns one result or Error per item, so one item's failure
 * does not fail the others; a thrown error fails the whole batch.
 */
export class GroupCommitQueue<Item, Result> {
  private queue: { item: Item; resolve: (r: Result) => void; reject: (e: Error) => void }[] = [];
  private active = 0;

  constructor(
    private readonly flush: (items: Item[]) => Promise<(Result | Error)[]>,
    private readonly options: GroupCommitOptions<Item>,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // One flusher makes the biggest batches; another starts only when a full batch is waiting.
      if (this.active === 0 || (this.active < this.options.flushers && this.queue.length >= this.options.maxBatch)) void this.run();
    });
  }

  /** Resolves when nothing is queued or being written. */
  async drain(): Promise<void> {
    while (this.active > 0 || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private batchLength(): number {
    const { maxBatch, maxWeight, weigh } = this.options;
    if (maxWeight === undefined || weigh === undefined) return maxBatch;
    let weight = 0;
    let length = 0;
    while (length < Math.min(maxBatch, this.queue.length)) {
      weight += weigh(this.queue[length].item);
      if (length > 0 && weight > maxWeight) break;
      length++;
    }
    return length;
  }

  private async run(): Promise<void> {
    this.active++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.batchLength());
        try {
          const results = await this.flush(batch.map((entry) => entry.item));
          batch.forEach((entry, i) => {
            const result = results[i];
            if (result instanceof Error) entry.reject(result);
            else entry.resolve(result);
          });
        } catch (error) {
          for (const entry of batch) entry.reject(error as Error);
        }
        // Let the callers just answered queue their next appends, so that they join the next batch
        // instead of splitting the writers into two cohorts that alternate.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.active--;
    }
  }
}
