import type { LeasePolicy, MemberPlace } from '../../../application/ports/admission-queue.js';

type Ask = (showId: string, memberIds: string[], now: number, lease: LeasePolicy) => Promise<MemberPlace[]>;

interface Batch {
  showId: string;
  now: number;
  lease: LeasePolicy;
  memberIds: string[];
  waiters: { resolve(place: MemberPlace): void; reject(error: unknown): void }[];
}

/**
 * Coalesces the status lookups of one show made in the same turn of the event loop (concurrent
 * polls, and every event stream of the process, which tick together) into one script call per
 * `maxBatch` members, instead of a call each.
 */
export class PlaceLookups {
  private readonly pending = new Map<string, Batch>();

  constructor(
    private readonly ask: Ask,
    private readonly maxBatch = 500,
  ) {}

  lookup(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<MemberPlace> {
    const key = `${showId}\n${lease.leaseMs}\n${lease.maxSessionMs}`;
    let batch = this.pending.get(key);
    if (!batch) {
      batch = { showId, now, lease, memberIds: [], waiters: [] };
      this.pending.set(key, batch);
      setImmediate(() => this.flush(key));
    }
    batch.now = Math.max(batch.now, now);
    batch.memberIds.push(memberId);
    return new Promise((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }

  private flush(key: string): void {
    const batch = this.pending.get(key);
    this.pending.delete(key);
    if (!batch) return;
    for (let start = 0; start < batch.memberIds.length; start += this.maxBatch) {
      const waiters = batch.waiters.slice(start, start + this.maxBatch);
      this.ask(batch.showId, batch.memberIds.slice(start, start + this.maxBatch), batch.now, batch.lease).then(
        (places) => waiters.forEach((waiter, i) => waiter.resolve(places[i] ?? { state: 'absent' })),
        (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
      );
    }
  }
}
