import type { LeaseStore } from './lease.js';

const PREFIX = 'engine:slot-';

/**
 * Which workers of a host (slots 0…slots−1) have a projection engine running: each engine holds a
 * lease named `engine:slot-<slot>` in the projections' lease table, renewed with the others, and
 * reads the rest (one query) once per renewal. Projection i is at home in slot i mod slots; a
 * runner elsewhere takes its lease only while that home is absent, and gives it up once the home
 * is back, so that the read models' work spreads over the workers instead of resting on the first
 * one up.
 */
export class HomePresence {
  private present = new Set<number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly leases: LeaseStore,
    private readonly owner: string,
    private readonly home: { slot: number; slots: number },
    private readonly timing: { leaseMs: number; renewMs: number },
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Takes this slot's presence lease and reads the others' (before the runners start). */
  async start(): Promise<void> {
    await this.beat().catch(this.onError);
    this.timer = setInterval(() => void this.beat().catch(this.onError), this.timing.renewMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.leases.release(this.nameOf(this.home.slot), this.owner).catch(this.onError);
  }

  /** True while another live engine is the home of the projection at `index` (in registry order). */
  awayFromHome(index: number): boolean {
    const slot = index % this.home.slots;
    return slot !== this.home.slot && this.present.has(slot);
  }

  private async beat(): Promise<void> {
    await this.leases.acquire(this.nameOf(this.home.slot), this.owner, this.timing.leaseMs);
    const present = new Set<number>();
    for (const [name, holder] of await this.leases.holders(PREFIX)) {
      const slot = Number(name.slice(PREFIX.length));
      if (slot !== this.home.slot && slot < this.home.slots && holder.owner !== this.owner) present.add(slot);
    }
    this.present = present;
  }

  private nameOf(slot: number): string {
    return `${PREFIX}${slot}`;
  }
}
