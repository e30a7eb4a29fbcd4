import { expect } from 'chai';
import { Redis } from 'ioredis';
import { ClusterErrorTotals } from '../../../src/infrastructure/http/cluster-error-totals.js';
import type { ErrorTotals } from '../../../src/infrastructure/http/status-tally.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';

describe('the 4xx/5xx of every process, summed in Redis (the live dashboard’s figure)', () => {
  let redis: Redis;
  let key: string;

  beforeEach(async function () {
    await requireService(this, 'redis');
    redis = new Redis(TEST_REDIS_URL);
    key = uniqueName('test:http:errors');
  });

  afterEach(async () => {
    await redis?.del(key);
    redis?.disconnect();
  });

  /** A process's own tally, as the HTTP metrics middleware keeps it. */
  const tally = () => {
    const answered: ErrorTotals = { clientErrors: 0, serverErrors: 0 };
    return { answered, read: () => ({ ...answered }) };
  };

  it('when two processes answer errors, then each one’s flush adds only what it answered since, and both read the sum', async () => {
    const [a, b] = [tally(), tally()];
    const [first, second] = [new ClusterErrorTotals(redis, key, 1000, a.read), new ClusterErrorTotals(redis, key, 1000, b.read)];
    a.answered.clientErrors = 3;
    b.answered.clientErrors = 2;
    b.answered.serverErrors = 1;
    await Promise.all([first.flush(), second.flush()]);
    a.answered.clientErrors = 4;
    await first.flush();
    await first.flush(); // nothing new: nothing added
    expect(await second.totals()).to.deep.equal({ clientErrors: 6, serverErrors: 1 });
    expect(await first.totals()).to.deep.equal({ clientErrors: 6, serverErrors: 1 });
  });

  it('when started, then it flushes by itself every interval, and once more when stopped', async () => {
    const a = tally();
    const totals = new ClusterErrorTotals(redis, key, 50, a.read);
    totals.start();
    a.answered.serverErrors = 2;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await totals.totals()).serverErrors).to.equal(2);
    a.answered.clientErrors = 5;
    await totals.stop();
    expect(await totals.totals()).to.deep.equal({ clientErrors: 5, serverErrors: 2 });
  });

  it('when there is no Redis (embedded), then the process’s own tally is the figure', async () => {
    const a = tally();
    a.answered.clientErrors = 7;
    expect(await new ClusterErrorTotals(undefined, key, 1000, a.read).totals()).to.deep.equal({ clientErrors: 7, serverErrors: 0 });
  });
});
