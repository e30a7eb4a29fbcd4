import { expect } from 'chai';
import { backendKinds, type Backend } from './backends.js';
import { engineOn } from './engine-fixture.js';
import { counted, tallyProjection } from './tally.projection.js';

for (const kind of backendKinds) {
  describe(`the slowest projection's lag, for the live dashboard: ${kind.name}`, function () {
    let backend: Backend;

    beforeEach(async function () {
      backend = await kind.open(this);
    });

    afterEach(async () => {
      await backend?.teardown();
    });

    it('when a projection has caught up, then the lag is zero; when events come while it is stopped, then it counts them and the oldest one’s age', async () => {
      const db = await backend.connect();
      const { engine, waiter } = engineOn(db, [tallyProjection()]);
      await engine.start();
      const { position } = await db.eventStore.append('counter-a', [counted(1), counted(2)], 'no_stream');
      expect(await waiter.waitFor('tally', position, 5000)).to.equal(true);
      expect(await engine.lag()).to.deep.equal({ positions: 0, seconds: 0 });
      await engine.stop();
      await db.eventStore.append('counter-b', [counted(1), counted(1), counted(1)], 'no_stream');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const lag = await engine.lag();
      expect(lag).to.include({ positions: 3, projection: 'tally' });
      expect(lag.seconds).to.be.within(0.2, 30);
    });
  });
}
