import type { AdmitShowHandler } from '../../application/admission/admit-show.handler.js';
import type { AdmissionQueue } from '../../application/ports/admission-queue.js';
import type { Service } from '../lifecycle.js';
import type { Logger } from '../logging/logger.js';
import { recordAdmitTick } from './admission.metrics.js';

/**
 * The admitter: ticks every tracked show. Any number of processes may run it at once, since the
 * queue's admit step enforces rate and capacity atomically; more processes only mean more ticks.
 */
export class Admitter implements Service {
  readonly name = 'admission admitter';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private lastWarning = 0;

  constructor(
    private readonly queue: AdmissionQueue,
    private readonly admitShow: AdmitShowHandler,
    private readonly tickMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every tracked show (also used by tests to drive the admitter by hand). */
  async tick(): Promise<void> {
    let shows: string[];
    try {
      shows = await this.queue.shows();
    } catch (error) {
      return this.warn(error, 'admitter cannot list shows');
    }
    await Promise.all(
      shows.map(async (showId) => {
        try {
          const report = await this.admitShow.handle(showId);
          recordAdmitTick(report);
          if (report.recordError) this.warn(report.recordError, 'admitter could not record admissions (kept for the next tick)', showId);
        } catch (error) {
          this.warn(error, 'admitter tick failed', showId);
        }
      }),
    );
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule());
    }, this.tickMs);
    this.timer.unref();
  }

  /** At most one warning every 10 s: a Redis outage must not flood the log. */
  private warn(error: unknown, message: string, showId?: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error, showId }, message);
  }
}
