import type { Knex } from 'knex';
import type { ProjectionWaiter } from '../../../application/ports/projection-waiter.js';
import { readCheckpoint } from './checkpoint-store.js';
import { liveTables } from '../../../projections/table-names.js';

interface Waiting {
  position: number;
  resolve(reached: boolean): void;
}

/**
 * Waits on checkpoints: the local runner's commits wake waiters at once; while anyone waits, a
 * short poll of the checkpoint row covers a runner in another process.
 */
export class CheckpointWaiter implements ProjectionWaiter {
  private readonly known = new Map<string, number>();
  private readonly waiting = new Map<string, Set<Waiting>>();
  private readonly polls = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly knex: Knex,
    private readonly pollMs = 50,
  ) {}

  async waitFor(projection: string, position: number, timeoutMs: number): Promise<boolean> {
    if ((this.known.get(projection) ?? -1) >= position) return true;
    return new Promise<boolean>((resolve) => {
      const entry: Waiting = { position, resolve: () => undefined };
      const timer = setTimeout(() => entry.resolve(false), timeoutMs);
      entry.resolve = (reached) => {
        clearTimeout(timer);
        this.waiting.get(projection)?.delete(entry);
        resolve(reached);
      };
      this.waitersOf(projection).add(entry);
      this.ensurePolling(projection);
    });
  }

  /** A runner of this process committed up to `position`. */
  notify(projection: string, position: number): void {
    if ((this.known.get(projection) ?? -1) < position) this.known.set(projection, position);
    for (const entry of [...(this.waiting.get(projection) ?? [])]) if (entry.position <= position) entry.resolve(true);
  }

  /** A rebuild may move a checkpoint backwards: forget what was seen. */
  forget(projection: string): void {
    this.known.delete(projection);
  }

  close(): void {
    for (const [projection, entries] of this.waiting)
      for (const entry of [...entries]) entry.resolve((this.known.get(projection) ?? -1) >= entry.position);
  }

  private waitersOf(projection: string): Set<Waiting> {
    let set = this.waiting.get(projection);
    if (!set) this.waiting.set(projection, (set = new Set()));
    return set;
  }

  private ensurePolling(projection: string): void {
    if (this.polls.has(projection)) return;
    const poll = async () => {
      try {
        const position = await readCheckpoint(this.knex, liveTables(projection));
        if (position !== undefined) this.notify(projection, position);
      } catch {
        // the next poll tries again; waiters end at their timeout
      }
      if ((this.waiting.get(projection)?.size ?? 0) > 0) this.polls.set(projection, setTimeout(poll, this.pollMs));
      else this.polls.delete(projection);
    };
    this.polls.set(projection, setTimeout(poll, 0));
  }
}
