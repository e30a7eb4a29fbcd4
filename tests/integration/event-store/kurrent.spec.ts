import { KurrentEventStore } from '../../../src/infrastructure/event-store/kurrent/kurrent-event-store.js';
import { eventStoreContract } from './event-store.contract.js';

const url = process.env.EVENTSTORE_URL;

eventStoreContract('KurrentDB', async (context) => {
  if (!url) {
    console.log(
      '      (skipped: set EVENTSTORE_URL, e.g. kurrentdb://127.0.0.1:2113?tls=false, to run the contract against KurrentDB 25.1 or later)',
    );
    context.skip();
  }
  return {
    open: (options) => KurrentEventStore.connect(url!, options),
    teardown: async () => undefined,
    // Commit positions grow by bytes of log, not by one.
    gapless: false,
    shared: true,
    detectsReusedIds: false,
  };
});
