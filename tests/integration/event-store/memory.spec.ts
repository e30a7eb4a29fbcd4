import { InMemoryEventStore } from '../../../src/infrastructure/event-store/memory/in-memory-event-store.js';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract('in-memory', async () => ({
  open: async (options) => new InMemoryEventStore(options),
  teardown: async () => undefined,
  gapless: true,
  shared: false,
}));
