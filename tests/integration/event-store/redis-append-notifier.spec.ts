import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisAppendNotifier } from '../../../src/infrastructure/event-store/redis-append-notifier.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

describe('Redis append notifier', () => {
  const clients: Redis[] = [];
  const notifiers: RedisAppendNotifier[] = [];
  const notifier = (channel: string) => {
    const redis = new Redis(TEST_REDIS_URL);
    clients.push(redis);
    const created = new RedisAppendNotifier(redis, { channel });
    notifiers.push(created);
    return created;
  };

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
});
