import type { Knex } from 'knex';
import type { EventStore, RecordedEvent } from '../../../application/ports/event-store.js';
import { classifyDatabaseFailure } from '../../database/database-failure.js';
import { countDatabaseFailure } from '../../database/database-failure.metrics.js';
import type { Logger } from '../../logging/logger.js';
import { readCheckpoint } from './checkpoint-store.js';
import { ApplyFailed, CheckpointMoved, commitBatch, type BatchTarget } from './commit-batch.js';
import { ensureLiveTables } from './ensure-tables.js';
import type { FailureStore } from './failures.js';
import { LeaseLost, type LeaseStore } from './lease.js';
import type { Projection } from '../../../projections/projection.js';
import { sleep } from './sleep.js';
import { liveTables } from '../../../projections/table-names.js';
import { isTransientError } from './transient-error.js';

export interface RunnerOptions {
  batchSize: number;
  /** How long a lease lasts without renewal: the takeover time when a holder dies. */
  leaseMs: number;
  /** How often the holder renews, and how often a standby tries to take over. */
  renewMs: number;
  /** Longest wait for new events before checking again (the store wakes it earlier). */
  idleWaitMs: number;
  /** Longest pause after an error before trying again. */
  maxBackoffMs: number;
  /**
   * After a batch smaller than `batchSize`, wait this long before reading again, so that a steady
   * trickle of events is written in batches rather than a transaction per event or two (at most
   * this much more lag; a projection that is behind reads full batches and never waits).
   */
  lingerMs: number;
  /**
   * A batch with no event the projection handles changes none of its rows: its checkpoint is
   * written (a transaction of four round trips) with the next batch that does, when the log runs
   * dry, or once this long has passed, whichever comes first; waiters in this process hear of it
   * at once, other processes see the checkpoint row move up to this much later. 0: every batch commits.
   */
  skipCommitMs: number;
}

export interface RunnerDeps {
  knex: Knex;
  eventStore: EventStore;
  leases: LeaseStore;
  failures: FailureStore;
  logger: Logger;
  /** This process's identity in lease rows. */
  owner: string;
  options: RunnerOptions;
  /** Called after each commit with the new checkpoint (the waiter listens here). */
  onCommit(projection: string, position: number): void;
  /** True while another live process is this projection's home (HomePresence): leave the lease to it. */
  awayFromHome?: () => boolean;
}

/**
 * Runs one projection: while it holds the projection's lease, it reads the global log from the
 * checkpoint and commits each batch's rows with the new checkpoint. A standby retries the lease
 * every `renewMs` and takes over once the holder's lease expires; a runner away from the
 * projection's home (see HomePresence) leaves the lease to the home process while it is up.
 */
export class ProjectionRunner {
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private renewTimer?: NodeJS.Timeout;
  private holding = false;
  private failed = false;
  private position = 0;
  /** The checkpoint as committed; `position` runs ahead of it over batches the projection ignores. */
  private committed = 0;
  private committedAt = 0;
  /** The last event of the batches read past without a commit. */
  private skippedTo?: RecordedEvent;
  private readonly target: BatchTarget;

  constructor(
    readonly projection: Projection,
    private readonly deps: RunnerDeps,
  ) {
    this.target = {
      projection,
      tables: liveTables(projection.name),
      guard: { leases: deps.leases, name: projection.name, owner: deps.owner },
    };
  }

  get isHolding(): boolean {
    return this.holding;
  }

  /** Tries the lease once (creating the tables when it gets it) unless its home has it, then runs in the background. */
  async start(): Promise<void> {
    try {
      if (!this.deps.awayFromHome?.()) await this.takeLease();
    } catch (error) {
      this.deps.logger.warn({ err: error, projection: this.projection.name }, 'projection: first lease attempt failed');
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    // what was passed over is written before the lease goes (else the next holder reads it again, harmlessly)
    if (this.holding && this.skippedTo) await this.commit([]).catch(() => undefined);
    await this.stepDown(true);
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    let backoff = 0;
    while (!signal.aborted) {
      try {
        const away = this.deps.awayFromHome?.() ?? false;
        if (!this.holding && (away || !(await this.takeLease()))) await sleep(this.deps.options.renewMs, signal);
        else if (this.failed) await this.waitWhileFailed();
        else if (away) await this.handOver();
        else await this.step();
        backoff = 0;
      } catch (error) {
        backoff = Math.min(Math.max(backoff * 2, 100), this.deps.options.maxBackoffMs);
        const databaseFault = classifyDatabaseFailure(error);
        if (databaseFault) countDatabaseFailure(databaseFault, 'projections');
        // Losing the lease (a takeover, a rebuild's swap) is routine; anything else deserves a warning.
        const routine = error instanceof LeaseLost || error instanceof CheckpointMoved;
        this.deps.logger[routine ? 'info' : 'warn'](
          { err: error, projection: this.projection.name, retryInMs: backoff },
          'projection: stepping down',
        );
        await this.stepDown(true).catch(() => undefined);
        await sleep(backoff, signal);
      }
    }
  }

  private async takeLease(): Promise<boolean> {
    const { leases, owner, options, knex, failures } = this.deps;
    if (!(await leases.acquire(this.projection.name, owner, options.leaseMs))) return false;
    this.holding = true;
    this.renewTimer ??= setInterval(() => void this.renew(), options.renewMs);
    if (await ensureLiveTables(knex, this.projection))
      this.deps.logger.info({ projection: this.projection.name }, 'projection: tables created');
    this.moveTo((await readCheckpoint(knex, this.target.tables)) ?? 0);
    this.failed = (await failures.get(this.projection.name)) !== undefined;
    this.deps.logger.info({ projection: this.projection.name, position: this.position, failed: this.failed }, 'projection: lease taken');
    return true;
  }

  private async renew(): Promise<void> {
    if (!this.holding) return;
    try {
      if (await this.deps.leases.acquire(this.projection.name, this.deps.owner, this.deps.options.leaseMs)) return;
      this.deps.logger.info({ projection: this.projection.name }, 'projection: lease lost');
      await this.stepDown(false);
    } catch (error) {
      this.deps.logger.warn({ err: error, projection: this.projection.name }, 'projection: lease renewal failed');
    }
  }

  private async stepDown(release: boolean): Promise<void> {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    const wasHolding = this.holding;
    this.holding = false;
    if (release && wasHolding) await this.deps.leases.release(this.projection.name, this.deps.owner);
  }

  /** Its home process is up: what was passed over is committed and the lease given up for the home's standby to take. */
  private async handOver(): Promise<void> {
    if (this.skippedTo) await this.commit([]);
    await this.stepDown(true);
    this.deps.logger.info({ projection: this.projection.name }, 'projection: lease handed over to its home process');
  }

  private async step(): Promise<void> {
    const { eventStore, options } = this.deps;
    const events = await eventStore.readAll(this.position, options.batchSize);
    if (events.length === 0) {
      if (this.skippedTo) await this.commit([]);
      await eventStore.waitForEvents(this.position, options.idleWaitMs, this.abort.signal);
      return;
    }
    try {
      if (this.mayPassOver(events)) this.skip(events);
      else await this.commit(events);
    } catch (error) {
      if (!(error instanceof ApplyFailed) || isTransientError(error)) throw error;
      await this.isolateFailure(events);
    }
    if (events.length < options.batchSize && options.lingerMs > 0) await sleep(options.lingerMs, this.abort.signal);
  }

  /** Nothing in `events` is handled and the checkpoint was written lately enough. */
  private mayPassOver(events: RecordedEvent[]): boolean {
    const { skipCommitMs } = this.deps.options;
    if (!(skipCommitMs > 0) || Date.now() - this.committedAt >= skipCommitMs) return false;
    const handles = new Set(this.projection.handles);
    return !events.some((event) => handles.has(event.type));
  }

  /** The rows already answer for these events (they change none), so waiters here may read: only the checkpoint row waits. */
  private skip(events: RecordedEvent[]): void {
    this.skippedTo = events[events.length - 1];
    this.position = this.skippedTo.position;
    this.deps.onCommit(this.projection.name, this.position);
  }

  private moveTo(position: number): void {
    this.position = this.committed = position;
    this.committedAt = Date.now();
    this.skippedTo = undefined;
  }

  /** Commits `events` (or, when empty, the batches passed over) with the checkpoint, from the one committed. */
  private async commit(events: RecordedEvent[]): Promise<void> {
    const batch = events.length > 0 ? events : [this.skippedTo!];
    const handled = await commitBatch(this.deps.knex, this.target, this.committed, batch);
    this.moveTo(batch[batch.length - 1].position);
    // afterCommit first (it may invalidate a cache), then wake the handlers waiting to read.
    if (handled.length > 0 && this.projection.afterCommit) {
      try {
        await this.projection.afterCommit(handled);
      } catch (error) {
        this.deps.logger.warn({ err: error, projection: this.projection.name }, 'projection: afterCommit failed');
      }
    }
    this.deps.onCommit(this.projection.name, this.position);
  }

  /** Commits the batch one event at a time, so that the failure names the event that threw. */
  private async isolateFailure(events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.commit([event]);
      } catch (error) {
        if (!(error instanceof ApplyFailed) || isTransientError(error)) throw error;
        await this.markFailed(event, error.cause);
        return;
      }
    }
  }

  private async markFailed(event: RecordedEvent, cause: unknown): Promise<void> {
    const message = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
    await this.deps.failures.record(this.projection.name, {
      position: event.position,
      eventType: event.type,
      error: message,
      failedAt: new Date(),
    });
    this.failed = true;
    this.deps.logger.error(
      { err: cause, projection: this.projection.name, position: event.position, type: event.type },
      'projection failed: it stops here until rebuilt or retried',
    );
  }

  /** A failed projection holds on to its lease (so nobody else retries it) and checks for a reset. */
  private async waitWhileFailed(): Promise<void> {
    await sleep(this.deps.options.renewMs, this.abort.signal);
    if (this.abort.signal.aborted) return;
    if ((await this.deps.failures.get(this.projection.name)) !== undefined) return;
    this.moveTo((await readCheckpoint(this.deps.knex, this.target.tables)) ?? 0);
    this.failed = false;
    this.deps.logger.info({ projection: this.projection.name, position: this.position }, 'projection: failure cleared, resuming');
  }
}
