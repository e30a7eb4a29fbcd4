interface Batch<C, K, V> {
  context: C;
  keys: K[];
  waiters: { resolve(value: V): void; reject(error: unknown): void }[];
}

/**
 * Collects the look-ups made in one turn of the event loop and answers them with one `load` per
 * group (and per `maxBatch` keys) instead of one each: under a burst, many requests ask for their
 * own key at the same moment. `load` returns one value per key, in order.
 */
export class TickBatcher<C, K, V> {
  private readonly pending = new Map<string, Batch<C, K, V>>();

  constructor(
    private readonly load: (context: C, keys: K[]) => Promise<V[]>,
    private readonly maxBatch = 500,
  ) {}

  /** `group`: look-ups that may share a load (same `context`); the first one's context is used. */
  get(group: string, context: C, key: K): Promise<V> {
    let batch = this.pending.get(group);
    if (!batch) {
      batch = { context, keys: [], waiters: [] };
      this.pending.set(group, batch);
      setImmediate(() => this.flush(group));
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
      this.load(batch.context, batch.keys.slice(start, start + this.maxBatch)).then(
        (values) => waiters.forEach((waiter, i) => waiter.resolve(values[i]!)),
        (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
      );
    }
  }
}
