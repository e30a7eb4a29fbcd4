import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { redisCluster } from '../../support/redis-cluster.js';
import { uniqueName } from '../../support/services.js';
import { admissionQueueContract } from './admission-queue.contract.js';

// every script of a show touches its keys only, all tagged {show:<id>}: one slot, on whichever master holds it
admissionQueueContract('Redis Cluster', async (context) => {
  const cluster = await redisCluster(context);
  const client = cluster.client({ enableAutoPipelining: true });
  return { queue: new RedisAdmissionQueue(client, uniqueName('test:admission')), close: async () => void client.disconnect() };
});
