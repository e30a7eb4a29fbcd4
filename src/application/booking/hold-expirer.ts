import type { Clock } from '../ports/clock.js';
import type { HoldDeadline, HoldDeadlines, OpenHolds } from '../ports/hold-deadlines.js';
import type { ExpireHoldHandler } from './expire-hold.handler.js';

type Logger = { warn(details: object, message: string): void; error(details: object, message: string): void };

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 8000;

export interface HoldExpirerOptions {
  /** Longest sleep between looks at the deadlines (other processes add some too). */
  pollMs?: number;
  /** How often open holds past their time are looked up in the read model, for deadlines lost in a crash. */
  reconcileMs?: number;
  batch?: number;
}

/**
 * The deadline-driven process: takes due deadlines (each goes to one process) and records
 * HoldExpired for them within about `pollMs`. Started and stopped by the server's lifecycle.
 */
export class HoldExpirer {
  readonly name = 'hold expirer';
  private running = false;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private loop?: Promise<void>;
  private lastReconcile = 0;
  /** Whether the open holds of the read model are in the deadlines (done at start, else at the next pass). */
  private fed = false;
  private retryMs = RETRY_FIRST_MS;
  private lastFailure: unknown;
  private readonly pollMs: number;
  private readonly reconcileMs: number;
  private readonly batch: number;
  expired = 0;

  constructor(
    private readonly deadlines: HoldDeadlines,
    private readonly openHolds: OpenHolds,
    private readonly expire: ExpireHoldHandler,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: HoldExpirerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.reconcileMs = options.reconcileMs ?? 15_000;
    this.batch = options.batch ?? 200;
  }

  async start(): Promise<void> {
    this.running = true;
    this.lastReconcile = this.clock.now().getTime();
    // a store that is away at start (Redis not ready yet) must not stop the server: the loop feeds them later
    try {
      await this.feed();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not feed the open holds at start; trying again');
    }
    this.loop = this.run();
  }

  /** After a restart an in-process heap is empty: feed it every hold still open (Redis has them already; the same again is harmless). */
  private async feed(): Promise<void> {
    for (const deadline of await this.openHolds.dueBefore(new Date(8.64e15), 100_000)) await this.deadlines.schedule(deadline);
    this.fed = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let full = false;
      try {
        if (!this.fed) await this.feed();
        const now = this.clock.now();
        const due = await this.deadlines.takeDue(now, this.batch);
        full = due.length === this.batch;
        this.afterPass(await Promise.all(due.map((deadline) => this.expireOne(deadline))));
        if (now.getTime() - this.lastReconcile >= this.reconcileMs) await this.reconcile(now);
      } catch (error) {
        this.logger.warn({ err: error }, 'hold deadlines unavailable; trying again');
      }
      if (!full && this.running) await this.sleep(await this.untilNext());
    }
  }

  /** True when the hold is dealt with; else it is due again after `retryMs`. */
  private async expireOne(deadline: HoldDeadline): Promise<boolean> {
    try {
      const outcome = await this.expire.handle(deadline);
      if (outcome === 'not-due') throw new Error('the hold is not due yet by this clock');
      if (outcome === 'expired') this.expired++;
      await this.deadlines.cancel(deadline.holdId, deadline.memberId);
      return true;
    } catch (error) {
      this.lastFailure = error;
      await this.deadlines.schedule({ ...deadline, expiresAt: new Date(this.clock.now().getTime() + this.retryMs) }).catch(() => undefined);
      return false;
    }
  }

  /** One warning per pass; while nothing can be expired (the database is away), retries back off up to RETRY_MAX_MS. */
  private afterPass(outcomes: boolean[]): void {
    const failed = outcomes.filter((done) => !done).length;
    if (failed === 0) {
      this.retryMs = RETRY_FIRST_MS;
      return;
    }
    this.logger.warn({ err: this.lastFailure, failed, retryInMs: this.retryMs }, 'could not expire holds; trying them again later');
    if (failed === outcomes.length) this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private async reconcile(now: Date): Promise<void> {
    this.lastReconcile = now.getTime();
    const missed = await this.openHolds.dueBefore(new Date(now.getTime() - 2000), 1000);
    this.afterPass(await Promise.all(missed.map((deadline) => this.expireOne(deadline))));
  }

  private async untilNext(): Promise<number> {
    const next = await this.deadlines.next().catch(() => undefined);
    if (!next) return this.pollMs;
    return Math.max(0, Math.min(this.pollMs, next.getTime() - this.clock.now().getTime()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
