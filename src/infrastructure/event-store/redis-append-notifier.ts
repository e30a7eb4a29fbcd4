import { subscriberOf, type RedisClient } from '../redis/redis-client.js';
import { LocalAppendNotifier, type AppendNotifier } from './append-notifier.js';

export interface RedisNotifierOptions {
  /** One channel per database, so that stores on other databases never wake each other. */
  channel: string;
  /** Least time between two publishes; appends in between are told with the next one. */
  minGapMs?: number;
  onError?: (error: Error) => void;
}

/**
 * Under a burst every commit would publish; a reader elsewhere re-reads the store on a hint anyway,
 * so a few ms later with the latest head wakes it just as well, for a fraction of the round trips.
 */
const MIN_GAP_MS = 5;

/**
 * Wakes waiters here at once and, through a Redis PUBLISH of the new head, waiters in other
 * processes. Publishes are coalesced: one in flight and at most one per `minGapMs`, always the
 * latest head; the first after a quiet spell goes at once. Lost messages only delay readers until
 * their backoff poll (see waitForEvents).
 */
export class RedisAppendNotifier implements AppendNotifier {
  private readonly local = new LocalAppendNotifier();
  private readonly minGapMs: number;
  private subscriber?: RedisClient;
  private publishing = false;
  private pending?: number;
  private lastPublishAt = -Infinity;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisNotifierOptions,
  ) {
    this.minGapMs = options.minGapMs ?? MIN_GAP_MS;
  }

  notify(position: number): void {
    this.local.notify(position);
    this.pending = Math.max(this.pending ?? 0, position);
    this.schedule();
  }

  subscribe(listener: (position: number) => void): () => void {
    this.subscriber ??= this.listen();
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    // the last head still goes out (best effort): readers elsewhere need not wait for their poll
    if (this.pending !== undefined && !this.publishing) await this.publish();
    await this.local.close();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  /** Publishes now when nothing is in flight and the last publish is `minGapMs` old, else later. */
  private schedule(): void {
    if (this.publishing || this.timer || this.pending === undefined || this.closed) return;
    const wait = this.lastPublishAt + this.minGapMs - performance.now();
    if (wait <= 0) {
      void this.publish().then(() => this.schedule());
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, wait);
    this.timer.unref();
  }

  private async publish(): Promise<void> {
    const position = this.pending!;
    this.pending = undefined;
    this.publishing = true;
    this.lastPublishAt = performance.now();
    try {
      await this.redis.publish(this.options.channel, String(position));
    } catch (error) {
      this.options.onError?.(error as Error);
    } finally {
      this.publishing = false;
    }
  }

  private listen(): RedisClient {
    // Its own connection (a subscribed connection can do nothing else); ioredis resubscribes on reconnect.
    const subscriber = subscriberOf(this.redis);
    subscriber.on('error', (error: Error) => this.options.onError?.(error));
    subscriber.on('message', (channel: string, message: string) => {
      const position = Number(message);
      if (channel === this.options.channel && Number.isFinite(position)) this.local.notify(position);
    });
    subscriber.subscribe(this.options.channel).catch((error: Error) => this.options.onError?.(error));
    return subscriber;
  }
}
