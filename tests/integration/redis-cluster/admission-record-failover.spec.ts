import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { DependencyContainer } from 'tsyringe';
import { AdmitShowHandler, type AdmitTickReport } from '../../../src/application/admission/admit-show.handler.js';
import type { AdmissionSettings } from '../../../src/application/admission/admission-settings.js';
import type { AdmissionQueue } from '../../../src/application/ports/admission-queue.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { admissionStream, type MembersAdmitted } from '../../../src/domain/admission/admission.events.js';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';
import type { RedisClient } from '../../../src/infrastructure/redis/redis-client.js';
import { masterOf as masterOfSlot, redisCluster, type RedisCluster } from '../../support/redis-cluster.js';
import { tempDataDir } from '../../support/temp-dir.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A batch of admissions recorded as MembersAdmitted (event id from its batch number) whose Redis
 * write is then lost in a failover: the rolled-back counter hands the number out again.
 */
describe('the record of admissions when a Redis Cluster failover loses the last admission', function () {
  this.timeout(120_000);
  let cluster: RedisCluster;
  let data: ReturnType<typeof tempDataDir>;
  let container: DependencyContainer;
  let killed: number | undefined;

  before(async function () {
    cluster = await redisCluster(this);
    data = tempDataDir();
  });

  after(async () => {
    if (container) {
      await container.resolve<EventStore>(TOKENS.EventStore).close();
      container.resolve<RedisClient>(TOKENS.Redis).disconnect();
      await container.resolve<Knex>(TOKENS.Knex).destroy();
    }
    if (killed !== undefined) await cluster.start(killed);
    data?.remove();
  });

  const masterOf = (redis: RedisClient, key: string) => masterOfSlot(redis, cluster, key, 100);

  it('when the counter rolls back to a number already recorded for other admissions, then the next batch is recorded under a new number and none is lost', async () => {
    // one admission a second, so that each tick admits one member
    const config = loadConfig({ DATA_DIR: data.dir, REDIS_CLUSTER_NODES: cluster.nodes, LOG_LEVEL: 'silent' });
    const seeded = await seedSale(config, { members: 3, shows: ['reserved-queue'], seats: 10, admitPerSecond: 1, maxActive: 10 });
    const showId = seeded.shows[0]!.id;
    const [first, second, third] = seeded.members.map((member) => member.id);
    container = await buildContainer(config, createLogger('silent'));
    const queue = container.resolve<AdmissionQueue & { keys(showId: string): string[] }>(TOKENS.AdmissionQueue);
    const events = container.resolve<EventStore>(TOKENS.EventStore);
    const redis = container.resolve<RedisClient>(TOKENS.Redis);
    const { lease } = container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings);
    const handler = container.resolve(AdmitShowHandler);
    const tick = async (): Promise<AdmitTickReport> => {
      for (let attempt = 0; ; attempt++) {
        const report = await handler.handle(showId).catch((error: unknown) => ({ recordError: error }) as AdmitTickReport);
        if (report.phase === 'open' || attempt >= 100) return report;
        await sleep(200);
      }
    };
    const recorded = async () =>
      (await events.readStream(admissionStream(showId)))
        .filter((e) => e.type === 'MembersAdmitted')
        .map((e) => e.data as MembersAdmitted['data'])
        .map(({ batch, memberIds }) => ({ batch, memberIds }));

    for (const member of [first, second, third]) await queue.join(showId, member!, Date.now(), 0, lease);
    await sleep(1100);
    expect((await tick()).admitted).to.equal(1);
    expect(await recorded()).to.deep.equal([{ batch: 1, memberIds: [first] }]);

    // the show's master loses its replica (stalled, link cut): the next admission reaches no other node
    const master = await masterOf(redis, queue.keys(showId)[0]!);
    const replica = await cluster.replicaOf(master);
    await cluster.pause(replica);
    const direct = new Redis(cluster.port(master), { lazyConnect: true, retryStrategy: () => null });
    await direct.connect();
    await direct.client('KILL', 'TYPE', 'replica');
    direct.disconnect();
    await sleep(1100);
    const lost = await tick();
    expect(lost.admitted, 'admitted on the master alone (WAIT fell short: the write stands)').to.equal(1);
    expect(await recorded()).to.deep.equal([
      { batch: 1, memberIds: [first] },
      { batch: 2, memberIds: [second] },
    ]);
    killed = master;
    await cluster.kill(master);
    await cluster.resume(replica);
    for (const until = Date.now() + 30_000; (await masterOf(redis, queue.keys(showId)[0]!)) === master && Date.now() < until;)
      await sleep(200);

    // the new master has batch 1 only: `second` is back in line and is admitted again, as batch 2
    await sleep(1100);
    const again = await tick();
    expect(again.recordError, String(again.recordError)).to.equal(undefined);
    expect(again.admitted).to.equal(1);
    expect(await recorded()).to.deep.equal([
      { batch: 1, memberIds: [first] },
      { batch: 2, memberIds: [second] },
      { batch: 3, memberIds: [second] },
    ]);
    expect(await queue.pendingBatches(showId, 10), 'nothing left to record').to.deep.equal([]);
    await sleep(1100);
    await tick();
    expect(
      (await recorded()).map((r) => r.batch),
      'the counter goes on from the record',
    ).to.deep.equal([1, 2, 3, 4]);

    await cluster.start(master);
    killed = undefined;
  });
});
