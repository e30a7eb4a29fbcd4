import { randomInt } from 'node:crypto';

/**
 * Which shards of a general-admission pool this process takes tickets from. Server process `slot`
 * of `slots` has a share of its own (shard i where i mod slots = slot) and takes from it in
 * rotation, so that processes append to different shard streams instead of losing appends to
 * each other; when its share runs short, a hold falls back to every shard, its own first.
 */
export class PoolShards {
  private rotation = randomInt(1 << 16);

  constructor(
    private readonly slot = 0,
    private readonly slots = 1,
  ) {}

  /** The shard to try first: the next of this process's own. */
  first(pool: string[]): string[] {
    const own = this.own(pool);
    return own.length ? [own[this.rotation++ % own.length]!] : [];
  }

  /** Every shard, this process's own first. */
  all(pool: string[]): string[] {
    const own = new Set(this.own(pool));
    return [...own, ...pool.filter((shard) => !own.has(shard))];
  }

  /** With more processes than shards, processes share: each has one. */
  private own(pool: string[]): string[] {
    if (pool.length <= this.slots) return pool.length ? [pool[this.slot % pool.length]!] : [];
    return pool.filter((_, i) => i % this.slots === this.slot % this.slots);
  }
}
