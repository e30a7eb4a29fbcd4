import { inject, injectable } from 'tsyringe';
import { inventoryStreamId, ledgerStreamId } from '../../domain/booking/booking.events.js';
import type { ShowStates } from '../catalog/show-states.js';
import type { BookingMetrics } from '../ports/booking-metrics.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import { noCorrelation, type Correlation } from '../ports/correlation.js';
import type { EventStore } from '../ports/event-store.js';
import { noTurns, type StreamTurns } from '../ports/stream-turns.js';
import { TOKENS } from '../tokens.js';
import { BookingAttempts } from './booking-attempts.js';
import type { BookingJob, BookingOutcome, QueuedJob } from './booking-job.js';
import { BookingStreams } from './booking-streams.js';

export type { BookingJob, BookingOutcome } from './booking-job.js';

/**
 * Runs booking commands that span streams (the member's ledger and one or more inventory streams)
 * with one writer per stream in this process: queued commands whose streams are free are decided
 * together (see BookingAttempts), in batches that keep each stream's order.
 */
@injectable()
export class BookingProcessor {
  private readonly pending: QueuedJob[] = [];
  private readonly locked = new Set<string>();
  private pumpScheduled = false;
  private readonly attempts: BookingAttempts;
  maxBatch = 256;

  constructor(
    @inject(TOKENS.EventStore) store: EventStore,
    @inject(TOKENS.ShowStates) shows: ShowStates,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Ids) ids: IdGenerator,
    @inject(BookingStreams) streams: BookingStreams,
    @inject(TOKENS.BookingMetrics) metrics: BookingMetrics,
    @inject(TOKENS.StreamTurns) private readonly turns: StreamTurns = noTurns,
    @inject(TOKENS.Correlation) private readonly correlation: Correlation = noCorrelation,
  ) {
    this.attempts = new BookingAttempts(store, shows, clock, ids, streams, turns, metrics);
  }

  /** How many times a batch is decided again after conflicts before it gives up (BOOKING.BUSY). */
  get maxAttempts(): number {
    return this.attempts.maxAttempts;
  }
  set maxAttempts(attempts: number) {
    this.attempts.maxAttempts = attempts;
  }

  /** Appends refused by a stream's expected version (another process wrote first). */
  get conflicts(): number {
    return this.attempts.conflicts;
  }

  execute<R>(job: BookingJob<R>): Promise<BookingOutcome<R>> {
    const streams = [ledgerStreamId(job.showId, job.memberId), ...job.parts.map((part) => inventoryStreamId(job.showId, part))];
    return new Promise<BookingOutcome<R>>((resolve, reject) => {
      this.pending.push({ job, streams, correlationId: this.correlation.current(), resolve: resolve as QueuedJob['resolve'], reject });
      this.schedulePump();
    });
  }

  /** One pump per turn of the event loop, however many commands arrived in it. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Starts batches of the queued commands whose streams are free, keeping per-stream order:
   * commands that share a stream go in one batch (folded into one append), up to `maxBatch`;
   * commands on disjoint streams go in separate batches that run at the same time; a command that
   * shares streams with two batches waits for the next pump.
   */
  private pump(): void {
    const batches = new Set<QueuedJob[]>();
    const batchOf = new Map<string, QueuedJob[]>();
    const blocked = new Set<string>();
    const chosen = new Set<QueuedJob>();
    for (const queued of this.pending) {
      if (queued.streams.some((s) => this.locked.has(s) || blocked.has(s))) {
        for (const s of queued.streams) blocked.add(s);
        continue;
      }
      const touching = [...new Set(queued.streams.map((s) => batchOf.get(s)).filter((b): b is QueuedJob[] => b !== undefined))];
      // a command that would join two batches waits for a later pump: merged, their streams would
      // be one append, and a conflict on any of them would send every command back (under load,
      // batches grew to span every shard and lost all their attempts to other processes' writes)
      if (touching.length > 1 || (touching[0]?.length ?? 0) >= this.maxBatch) {
        for (const s of queued.streams) blocked.add(s);
        continue;
      }
      const batch = touching[0] ?? [];
      batch.push(queued);
      batches.add(batch);
      chosen.add(queued);
      for (const s of queued.streams) batchOf.set(s, batch);
    }
    if (chosen.size === 0) return;
    const rest = this.pending.filter((queued) => !chosen.has(queued));
    this.pending.length = 0;
    this.pending.push(...rest);
    for (const batch of batches) {
      const streams = new Set(batch.flatMap((q) => q.streams));
      for (const s of streams) this.locked.add(s);
      void this.run(batch).finally(() => {
        for (const s of streams) this.locked.delete(s);
        this.schedulePump();
      });
    }
  }

  private async run(batch: QueuedJob[]): Promise<void> {
    // across processes, writers of a contended inventory stream take turns (see StreamTurns)
    const inventory = [...new Set(batch.flatMap((q) => q.streams.slice(1)))];
    const turn = await this.turns.take(inventory);
    let written: Record<string, number> = {};
    try {
      written = await this.attempts.run(batch, turn);
    } finally {
      await turn.release(written);
    }
  }
}
