import type { EventStore } from '../../../application/ports/event-store.js';
import type { EventStoreOptions } from '../event-store-options.js';

/** KurrentDB adapter (being written). */
export class KurrentEventStore {
  static async connect(url: string, options: EventStoreOptions = {}): Promise<EventStore> {
    void url;
    void options;
    throw new Error('the KurrentDB adapter is not written yet');
  }
}
