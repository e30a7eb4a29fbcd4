import type { Redis } from 'ioredis';
import { LocalAppendNotifier, type AppendNotifier } from './append-notifier.js';

export interface RedisNotifierOptions {
  /** One channel per database, so that stores on other databases never wake each other. */
  channel: string;
  onError?: (error: Error) => void;
}

/**
 * Wakes waiters here at once and, through a Redis PUBLISH of the new head, waiters in other
 * processes. Publishes are coalesced: one in flight, then the latest head. Lost messages only
 * delay readers until their backoff poll (see waitForEvents).
 */
export class RedisAppendNotifier implements AppendNotifier {
  private readonly local = new LocalAppendNotifier();
  private subscriber?: Redis;
  private publishing = false;
  private pending?: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisNotifierOptions,
  ) {}

  notify(position: number): void {
    this.local.notify(position);
    this.pending = Math.max(this.pending ?? 0, position);
    if (!this.publishing) void this.publishLatest();
  }

  subscribe(listener: (position: number) => void): () => void {
    this.subscriber ??= this.listen();
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private async publishLatest(): Promise<void> {
    this.publishing = true;
    try {
      while (this.pending !== undefined) {
        const position = this.pending;
        this.pending = undefined;
        await this.redis.publish(this.options.channel, String(position)).catch((error: Error) => this.options.onError?.(error));
      }
    } finally {
      this.publishing = false;
    }
  }

  private listen(): Redis {
    // Its own connection (a subscribed connection can do nothing else); ioredis resubscribes on reconnect.
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
    subscriber.on('error', (error: Error) => this.options.onError?.(error));
    subscriber.on('message', (channel: string, message: string) => {
      const position = Number(message);
      if (channel === this.options.channel && Number.isFinite(position)) this.local.notify(position);
    });
    subscriber.subscribe(this.options.channel).catch((error: Error) => this.options.onError?.(error));
    return subscriber;
  }
}
