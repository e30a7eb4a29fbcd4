import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Admissions } from '../../../src/application/ports/admission-news.js';
import { admissionNews } from '../../../src/infrastructure/admission/admission-news.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

describe('word of admissions between server processes (Redis)', () => {
  const connections: Redis[] = [];
  afterEach(() => connections.splice(0).forEach((redis) => redis.disconnect()));

  it('when one process admits members, then every process hears who, once subscribed', async function () {
    await requireService(this, 'redis');
    const channel = uniqueName('test:admitted');
    const [here, there] = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    connections.push(here, there);
    const failures: Error[] = [];
    const [sender, receiver] = [here, there].map((redis) => admissionNews(redis, channel, (error) => failures.push(error)));
    const heardThere: Admissions[] = [];
    const heardHere: Admissions[] = [];
    receiver!.listen((news) => heardThere.push(news));
    sender!.listen((news) => heardHere.push(news));
    // the subscription is asynchronous: announce until the other side hears
    const news = {
      showId: 'show-1_A',
      leaseExpiresAt: 1_800_000_020_000,
      memberIds: ['4b8f0c1e-0000-4000-8000-000000000001', '4b8f0c1e-0000-4000-8000-000000000002'],
    };
    for (const end = Date.now() + 5000; heardThere.length === 0 && Date.now() < end;) {
      sender!.announce(news);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(heardThere[0]).to.deep.equal(news);
    // this process hears its own word at once, without waiting for Redis
    expect(heardHere[0]).to.deep.equal(news);
    expect(failures).to.deep.equal([]);
    sender!.close();
    receiver!.close();
  });
});
