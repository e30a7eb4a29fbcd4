import { InProcessAdmissionQueue } from '../../../src/infrastructure/admission/in-process-admission-queue.js';
import { admissionQueueContract } from './admission-queue.contract.js';

admissionQueueContract('in-process', async () => ({ queue: new InProcessAdmissionQueue() }));
