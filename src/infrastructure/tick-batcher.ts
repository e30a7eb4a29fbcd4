interface Batch<C, K, V> {
  context: C;
  keys: K[];
  waiters: { resolve(value: V): void; reject(error: unknown): void }[];
}

export interface TickBatcherOptions {
  /** Keys in one `load` at most. */
  maxBatch?: number;
  /**
   * Loads of one group out at once at most: while they are, new look-ups wait for the next load,
   * so that batches grow with the load instead of the number of statements (a burst's look-ups
   * then cost one round trip more at most).
   */
  maxInFlight?: number;
}

/**
 * Collects the look-ups made in one turn of the event loop and answers them with one `load` per
 * group (and per `maxBatch` keys) instead of one each: under a burst, many requests ask for their
 * own key at the same moment. `load` returns one value per key, in order.
 */
export class TickBatcher<C, K, V> {
  private readonly pending = new Map<string, Batch<C, K, V>>();
  private readonly inFlight = new Map<string, number>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly load: (context: C, keys: K[]) => Promise<V[]>,
    { maxBatch = 500, maxInFlight = Infinity }: TickBatcherOptions = {},
  ) {
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  /** `group`: look-ups that may share a load (same `context`); the first one's context is used. */
  get(group: string, context: C, key: K): Promise<V> {
    let batch = this.pending.get(group);
    if (!batch) {
      batch = { context, keys: [], waiters: [] };
      this.pending.set(group, batch);
      // with loads of the group still out, the one that settles last but one starts this batch
      if ((this.inFlight.get(group) ?? 0) < this.maxInFlight) setImmediate(() => this.flush(group));
    }
    batch.keys.push(key);
    return new Promise((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }

  private flush(group: string): void {
    const batch = this.pending.get(group);
    this.pending.delete(group);
    if (!batch) return;
    for (let start = 0; start < batch.keys.length; start += this.maxBatch) {
      const waiters = batch.waiters.slice(start, start + this.maxBatch);
      this.inFlight.set(group, (this.inFlight.get(group) ?? 0) + 1);
      this.load(batch.context, batch.keys.slice(start, start + this.maxBatch))
        .finally(() => this.settled(group))
        .then(
          (values) => waiters.forEach((waiter, i) => waiter.resolve(values[i]!)),
          (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
        );
    }
  }

  private settled(group: string): void {
    const left = this.inFlight.get(group)! - 1;
    if (left > 0) this.inFlight.set(group, left);
    else this.inFlight.delete(group);
    if (left < this.maxInFlight && this.pending.has(group)) this.flush(group);
  }
}
