import type { Redis } from 'ioredis';

/**
 * Tells every process of a deployment that a member's sessions changed (password changed,
 * withdrawn), so that their cached session epochs are dropped at once rather than when they age out.
 */
export interface SessionRevocations {
  announce(memberId: string): void;
  onRevoked(listener: (memberId: string) => void): void;
  close(): void;
}

/** One process (embedded mode): the announcement only needs to reach this process's listeners. */
export class LocalSessionRevocations implements SessionRevocations {
  protected readonly listeners: ((memberId: string) => void)[] = [];

  announce(memberId: string): void {
    for (const listener of this.listeners) listener(memberId);
  }

  onRevoked(listener: (memberId: string) => void): void {
    this.listeners.push(listener);
  }

  close(): void {}
}

/** Several processes: a Redis PUBLISH reaches them all; a lost message only waits for the cache's expiry. */
export class RedisSessionRevocations extends LocalSessionRevocations {
  private readonly subscriber: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly onError: (error: Error) => void,
  ) {
    super();
    // A subscribed connection can do nothing else; ioredis resubscribes on reconnect.
    this.subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', onError);
    this.subscriber.on('message', (from: string, memberId: string) => {
      if (from === channel) super.announce(memberId);
    });
    this.subscriber.subscribe(channel).catch(onError);
  }

  override announce(memberId: string): void {
    super.announce(memberId);
    this.redis.publish(this.channel, memberId).catch(this.onError);
  }

  override close(): void {
    this.subscriber.disconnect();
  }
}
