import { Redis } from 'ioredis';
import { RedisAdmissionQueue } from '../../../src/infrastructure/admission/redis-admission-queue.js';
import { requireService, TEST_REDIS_URL, uniqueName } from '../../support/services.js';
import { admissionQueueContract } from './admission-queue.contract.js';

admissionQueueContract('Redis', async (context) => {
  await requireService(context, 'redis');
  const redis = new Redis(TEST_REDIS_URL);
  return { queue: new RedisAdmissionQueue(redis, uniqueName('test:admission')), close: async () => void redis.disconnect() };
});
