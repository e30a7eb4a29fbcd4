import type { LeaseStore } from './lease.js';

/** Renews a set of leases held by one owner until stopped (a rebuild keeps two). */
export class LeaseKeeper {
  private readonly names = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly leases: LeaseStore,
    private readonly owner: string,
    private readonly ttlMs: number,
    onError: (error: unknown) => void,
  ) {
    this.timer = setInterval(
      () => {
        for (const name of this.names) this.leases.acquire(name, this.owner, this.ttlMs).catch(onError);
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
  }

  hold(name: string): void {
    this.names.add(name);
  }

  /** Stops renewing and releases every lease held. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    for (const name of this.names) await this.leases.release(name, this.owner);
    this.names.clear();
  }
}
