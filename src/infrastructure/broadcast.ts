import { subscriberOf, type RedisClient } from './redis/redis-client.js';

/**
 * A message to every server process of a deployment, or to this process alone when embedded. Best
 * effort: what listens must stay correct when a message is lost (it only learns later).
 */
export interface Broadcast<T> {
  announce(message: T): void;
  listen(listener: (message: T) => void): void;
  close(): void;
}

/** One process: the announcement only needs to reach this process's listeners. */
export class LocalBroadcast<T> implements Broadcast<T> {
  private readonly listeners: ((message: T) => void)[] = [];

  announce(message: T): void {
    this.deliver(message);
  }

  listen(listener: (message: T) => void): void {
    this.listeners.push(listener);
  }

  close(): void {}

  protected deliver(message: T): void {
    for (const listener of this.listeners) listener(message);
  }
}

export interface RedisBroadcastOptions<T> {
  channel: string;
  encode(message: T): string;
  decode(text: string): T;
  onError(error: Error): void;
}

/**
 * Several processes: a Redis PUBLISH reaches them all. This process hears its own message at once
 * and again when it comes back from Redis: listeners must not mind hearing a message twice.
 */
export class RedisBroadcast<T> extends LocalBroadcast<T> {
  private readonly subscriber: RedisClient;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisBroadcastOptions<T>,
  ) {
    super();
    // A subscribed connection can do nothing else; ioredis resubscribes on reconnect.
    this.subscriber = subscriberOf(redis);
    this.subscriber.on('error', options.onError);
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== options.channel) return;
      try {
        this.deliver(options.decode(text));
      } catch (error) {
        options.onError(error as Error);
      }
    });
    this.subscriber.subscribe(options.channel).catch(options.onError);
  }

  override announce(message: T): void {
    this.deliver(message);
    this.redis.publish(this.options.channel, this.options.encode(message)).catch(this.options.onError);
  }

  override close(): void {
    this.subscriber.disconnect();
  }
}
