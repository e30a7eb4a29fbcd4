import { InProcessAdmissionQueue } from '../../../src/infrastructure/admission/memory-admission-queue.js';
import { admissionQueueContract } from './admission-queue.contract.js';

admissionQueueContract('in-process', async () => ({ queue: new InProcessAdmissionQueue() }));
