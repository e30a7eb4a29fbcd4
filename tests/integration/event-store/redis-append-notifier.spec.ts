import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisAppendNotifier } from '../../../src/infrastructure/event-store/redis-append-notifier.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

describe('Redis append notifier', () => {
  const clients: Redis[] = [];
  const notifiers: RedisAppendNotifier[] = [];
  const notifier = (channel: string, minGapMs?: number) => {
    const redis = new Redis(TEST_REDIS_URL);
    clients.push(redis);
    const created = new RedisAppendNotifier(redis, { channel, minGapMs });
    notifiers.push(created);
    return created;
  };
  /** What a plain subscriber hears on the channel, with when (ms after `since`). */
  const listen = async (channel: string, since: number) => {
    const subscriber = new Redis(TEST_REDIS_URL);
    clients.push(subscriber);
    const heard: { position: number; atMs: number }[] = [];
    subscriber.on('message', (_channel: string, message: string) =>
      heard.push({ position: Number(message), atMs: performance.now() - since }),
    );
    await subscriber.subscribe(channel);
    return heard;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  before(async function () {
    await requireService(this, 'redis');
  });

  after(async () => {
    for (const each of notifiers) await each.close();
    for (const redis of clients) redis.disconnect();
  });

  it('when one process notifies, then listeners on the same channel elsewhere hear the head, others do not', async () => {
    const channel = uniqueName('onsale:test:appended');
    const [writer, reader, stranger] = [notifier(channel), notifier(channel), notifier(`${channel}:other`)];
    const local: number[] = [];
    const heard: number[] = [];
    const strangerHeard: number[] = [];
    writer.subscribe((position) => local.push(position));
    reader.subscribe((position) => heard.push(position));
    stranger.subscribe((position) => strangerHeard.push(position));
    // The subscriber connections come up asynchronously: notify until the reader has heard one.
    for (let position = 1; heard.length === 0 && position < 200; position++) {
      writer.notify(position);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(heard.length).to.be.greaterThan(0);
    expect(local[0]).to.equal(1);
    writer.notify(1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard.at(-1)).to.equal(1000);
    expect(strangerHeard).to.deep.equal([]);
  });

  it('when appends keep coming, then one publish per gap goes out with the latest head; after a quiet spell the next goes at once', async () => {
    const channel = uniqueName('onsale:test:appended');
    const since = performance.now();
    const heard = await listen(channel, since);
    const writer = notifier(channel, 400);
    const local: number[] = [];
    writer.subscribe((position) => local.push(position));
    const start = performance.now() - since;
    for (let position = 1; position <= 5; position++) writer.notify(position);
    await sleep(700);
    // (and its own hints back from Redis after them)
    expect(local.slice(0, 5), 'this process hears every head at once').to.deep.equal([1, 2, 3, 4, 5]);
    expect(heard.map((hint) => hint.position)).to.deep.equal([1, 5]);
    expect(heard[0]!.atMs - start, 'the first without waiting').to.be.below(200);
    expect(heard[1]!.atMs - heard[0]!.atMs, 'the next a gap later').to.be.within(350, 650);

    const quiet = performance.now() - since;
    writer.notify(6);
    await sleep(200);
    expect(heard.map((hint) => hint.position)).to.deep.equal([1, 5, 6]);
    expect(heard[2]!.atMs - quiet).to.be.below(200);
  });

  it('when the notifier closes with a head not yet published, then it publishes it before closing', async () => {
    const channel = uniqueName('onsale:test:appended');
    const heard = await listen(channel, performance.now());
    const writer = notifier(channel, 10_000);
    writer.notify(1);
    writer.notify(2);
    await sleep(50);
    await writer.close();
    await sleep(100);
    expect(heard.map((hint) => hint.position)).to.deep.equal([1, 2]);
  });
});
