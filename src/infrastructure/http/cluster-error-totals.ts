import type { Service } from '../lifecycle.js';
import type { RedisClient } from '../redis/redis-client.js';
import { answeredErrors, type ErrorTotals } from './status-tally.js';

/**
 * The 4xx and 5xx answered by every process of the deployment: each process adds what it answered
 * since its last flush to one Redis hash once a second (one HINCRBY pair, none when nothing
 * failed), so the figure is at most a second behind and costs a request nothing. Embedded (no
 * Redis) the one process's own tally is the deployment's.
 */
export class ClusterErrorTotals implements Service {
  readonly name = 'http error totals';
  private flushed: ErrorTotals;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisClient | undefined,
    private readonly key: string,
    private readonly everyMs = 1000,
    private readonly read: () => ErrorTotals = answeredErrors,
  ) {
    // counts from now: answers from before it was built (another container in this process: tests) are not its own
    this.flushed = read();
  }

  start(): void {
    if (!this.redis) return;
    this.timer = setInterval(() => void this.flush(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Adds this process's answers since the last flush; on a Redis failure they wait for the next. */
  async flush(): Promise<void> {
    if (!this.redis) return;
    const now = this.read();
    const clientErrors = now.clientErrors - this.flushed.clientErrors;
    const serverErrors = now.serverErrors - this.flushed.serverErrors;
    if (clientErrors === 0 && serverErrors === 0) return;
    const before = this.flushed;
    this.flushed = now;
    try {
      await Promise.all([this.redis.hincrby(this.key, '4xx', clientErrors), this.redis.hincrby(this.key, '5xx', serverErrors)]);
    } catch {
      this.flushed = before;
    }
  }

  async totals(): Promise<ErrorTotals> {
    if (!this.redis) return this.read();
    const [clientErrors, serverErrors] = await this.redis.hmget(this.key, '4xx', '5xx');
    return { clientErrors: Number(clientErrors ?? 0), serverErrors: Number(serverErrors ?? 0) };
  }
}
