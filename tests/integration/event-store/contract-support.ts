import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../../src/application/ports/event-store.js';

export function event(type = 'Tested', data: unknown = { n: 1 }, extra: Partial<NewEvent> = {}): NewEvent {
  return { id: randomUUID(), type, data, ...extra };
}

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
