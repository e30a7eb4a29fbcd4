import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '../application/ports/clock.js';

export const systemClock: Clock = { now: () => new Date() };

export const uuidGenerator: IdGenerator = { next: () => randomUUID(), randomHex: (bytes) => randomBytes(bytes).toString('hex') };
