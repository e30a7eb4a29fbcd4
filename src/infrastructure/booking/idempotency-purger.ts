import type { Clock } from '../../application/ports/clock.js';
import type { Service } from '../lifecycle.js';

type Logger = { warn(details: object, message: string): void };

/** Answers that may be forgotten once old: deletes at most `limit` written before `cutoffMs`, says how many. */
export interface ExpiringAnswers {
  purgeBefore(cutoffMs: number, limit: number): Promise<number>;
}

export interface IdempotencyPurgerOptions {
  /** How long an answer is kept: a retry after that runs as a new request. */
  retentionMs: number;
  intervalMs?: number;
  /** Rows per DELETE, so that no statement holds its locks for long. */
  chunk?: number;
  /** Between the chunks of a large backlog, so that it does not crowd out bookings. */
  pauseMs?: number;
}

/**
 * Deletes idempotency answers past their retention, in chunks, about every `intervalMs`. Any
 * number of processes may run it at once: each chunk is one DELETE of rows that are old for all.
 */
export class IdempotencyPurger implements Service {
  readonly name = 'idempotency purger';
  private readonly retentionMs: number;
  private readonly intervalMs: number;
  private readonly chunk: number;
  private readonly pauseMs: number;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly answers: ExpiringAnswers,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: IdempotencyPurgerOptions,
  ) {
    this.retentionMs = options.retentionMs;
    this.intervalMs = options.intervalMs ?? 10 * 60_000;
    this.chunk = options.chunk ?? 1000;
    this.pauseMs = options.pauseMs ?? 50;
  }

  start(): void {
    this.stopping = false;
    // a random first wait spreads processes that start together
    this.schedule(Math.random() * this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass: deletes chunk after chunk until a chunk comes back short; returns how many went. */
  async purge(): Promise<number> {
    const cutoff = this.clock.now().getTime() - this.retentionMs;
    let total = 0;
    for (;;) {
      const deleted = await this.answers.purgeBefore(cutoff, this.chunk);
      total += deleted;
      if (deleted < this.chunk || this.stopping) return total;
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.pass = this.purge()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not purge old idempotency answers; trying again later'))
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }
}
