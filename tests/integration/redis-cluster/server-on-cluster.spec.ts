import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { AdmissionQueue } from '../../../src/application/ports/admission-queue.js';
import type { RateLimiter } from '../../../src/application/ports/rate-limiter.js';
import type { ReadCache } from '../../../src/application/ports/read-cache.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import type { RedisClient } from '../../../src/infrastructure/redis/redis-client.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { redisCluster } from '../../support/redis-cluster.js';
import { uniqueName } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('onsale on a Redis Cluster (REDIS_CLUSTER_NODES)', function () {
  this.timeout(60_000);
  let server: RunningServer;
  let data: ReturnType<typeof tempDataDir>;
  let log = '';

  before(async function () {
    const cluster = await redisCluster(this);
    data = tempDataDir();
    const capture = new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        done();
      },
    });
    // one seed node is enough: the client learns the others from it
    const config = loadConfig({ DATA_DIR: data.dir, PORT: '0', HOST: '127.0.0.1', REDIS_CLUSTER_NODES: `127.0.0.1:${cluster.port(2)}` });
    server = await startServer(config, createLogger('warn', capture));
  });

  after(async () => {
    await server?.close();
    data?.remove();
  });

  it('when started with REDIS_CLUSTER_NODES, then it is ready and every adapter shares one Cluster client', async () => {
    // ready once the client has read the slot map (until then commands fail fast: no offline queue)
    let status = 0;
    for (const end = Date.now() + 10_000; status !== 200 && Date.now() < end; await sleep(100)) {
      status = (await fetch(`http://127.0.0.1:${server.port}/health/ready`)).status;
    }
    expect(status, log).to.equal(200);
    expect(server.container.resolve<RedisClient>(TOKENS.Redis).isCluster).to.equal(true);
  });

  it('when the waiting room, the rate limiter and the read cache are used, then they answer from the cluster', async () => {
    const show = uniqueName('show');
    const lease = { leaseMs: 10_000, maxSessionMs: 60_000 };
    const queue = server.container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
    await queue.join(show, 'member-a', Date.now(), 0, lease);
    expect(await queue.join(show, 'member-b', Date.now(), 0, lease)).to.deep.include({ state: 'waiting', ahead: 1 });
    const limiter = server.container.resolve<RateLimiter>(TOKENS.RateLimiter);
    const rules = [uniqueName('ip'), uniqueName('member')].map((key) => ({ key, limit: 1, windowSeconds: 60 }));
    expect((await limiter.hitAll(rules)).allowed).to.equal(true);
    expect((await limiter.hitAll(rules)).allowed).to.equal(false);
    const cache = server.container.resolve<ReadCache>(TOKENS.ReadCache);
    const keys = [uniqueName('a'), uniqueName('b')];
    for (const key of keys) await cache.set(key, { key }, 5000);
    await cache.delete(keys);
    expect(await Promise.all(keys.map((key) => cache.get(key)))).to.deep.equal([undefined, undefined]);
  });
});
