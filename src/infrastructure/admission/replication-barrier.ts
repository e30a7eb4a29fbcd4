import type { RedisClient } from '../redis/redis-client.js';

/** How many replicas must hold a write before it is answered, and what to do when fewer do in time. */
export interface ReplicationPolicy {
  replicas: number;
  timeoutMs: number;
  /** After a shortfall, how long the show's writes skip WAIT (5 s). */
  skipMs?: number;
  onUnreplicated?(script: string, acknowledged: number): void;
}

type WaitPipeline = {
  exists(key: string): WaitPipeline;
  wait(replicas: number, timeoutMs: number): WaitPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
};

/**
 * One `WAIT` per show and turn of the event loop, sent after that turn's writes have been answered,
 * on the connection they went by (a pipeline routed by one of the show's keys goes to its master):
 * WAIT covers every earlier write of the connection, so the writes of one burst are acknowledged
 * together instead of holding the connection up one after another.
 */
export class ReplicationBarrier {
  private readonly pending = new Map<string, Promise<number>>();
  private readonly skipUntil = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly policy: ReplicationPolicy,
  ) {}

  /** Whether the show's writes skip WAIT now (its last one fell short). */
  skipping(showId: string): boolean {
    return (this.skipUntil.get(showId) ?? 0) > Date.now();
  }

  /** Resolves once the replicas hold the writes made to the show's master so far, or WAIT gave up (then the write stands). */
  async after(showId: string, showKey: string, script: string): Promise<void> {
    let wait = this.pending.get(showId);
    if (!wait) {
      wait = new Promise((resolve) => setImmediate(resolve)).then(() => {
        this.pending.delete(showId);
        return this.send(showKey);
      });
      this.pending.set(showId, wait);
    }
    const acknowledged = await wait;
    if (acknowledged >= this.policy.replicas) return;
    if (this.skipUntil.size >= 1000) this.skipUntil.clear();
    this.skipUntil.set(showId, Date.now() + (this.policy.skipMs ?? 5000));
    this.policy.onUnreplicated?.(script, acknowledged);
  }

  private async send(showKey: string): Promise<number> {
    const pipeline = (this.redis.pipeline() as unknown as WaitPipeline).exists(showKey).wait(this.policy.replicas, this.policy.timeoutMs);
    const replies = await pipeline.exec();
    const [error, acknowledged] = replies?.[1] ?? [new Error('no answer to WAIT'), 0];
    if (error) throw error;
    return Number(acknowledged);
  }
}
