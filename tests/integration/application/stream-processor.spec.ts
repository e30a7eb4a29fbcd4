import { expect } from 'chai';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { StreamProcessor } from '../../../src/application/stream-processor.js';
import type { Decider } from '../../../src/domain/shared/decider.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { uuidGenerator } from '../../../src/infrastructure/system-clock.js';
import { STORE_BACKENDS, type StoreProcesses } from '../../support/store-processes.js';
import { uniqueName } from '../../support/services.js';

type Taken = { type: 'Taken'; data: { n: number } };
type Take = { n: number };

/** A stock of 100 that refuses to go below zero: the smallest rule that a lost update breaks. */
const stock: Decider<{ taken: number }, Take, Taken> = {
  initialState: () => ({ taken: 0 }),
  evolve: (state, event) => ({ taken: state.taken + event.data.n }),
  decide: (command, state) => {
    if (state.taken + command.n > 100) throw new DomainError('conflict', 'TEST.SOLD_OUT', 'Not enough left');
    return [{ type: 'Taken', data: { n: command.n } }];
  },
};

function processorSpec(name: string, harness: (context: Mocha.Context) => Promise<StoreProcesses>) {
  describe(`StreamProcessor on ${name}`, function () {
    let setup: StoreProcesses;
    const stores: EventStore[] = [];
    const open = async () => {
      const store = await setup.open();
      stores.push(store);
      return store;
    };

    before(async function () {
      setup = await harness(this);
    });
    after(async () => {
      for (const store of stores.splice(0)) await store.close();
      await setup?.teardown();
    });

    it('when many commands for one stream arrive at once, then they share appends and each gets its own result', async () => {
      const store = await open();
      const processor = new StreamProcessor(store, uuidGenerator);
      const streamId = uniqueName('stock');
      const results = await Promise.all(Array.from({ length: 50 }, () => processor.execute(streamId, stock, { n: 1 })));
      const events = await store.readStream(streamId);
      expect(events).to.have.length(50);
      expect(results.map((r) => r.events.length)).to.deep.equal(Array(50).fill(1));
      const appends = new Set(results.map((r) => r.position));
      expect(appends.size, 'number of appends').to.be.lessThan(50);
      expect(Math.max(...results.map((r) => r.version))).to.equal(50);
    });

    it('when one command in a batch breaks a rule, then only that command fails', async () => {
      const store = await open();
      const processor = new StreamProcessor(store, uuidGenerator);
      const streamId = uniqueName('stock');
      const outcomes = await Promise.allSettled([
        processor.execute(streamId, stock, { n: 60 }),
        processor.execute(streamId, stock, { n: 60 }),
        processor.execute(streamId, stock, { n: 40 }),
      ]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).to.have.property('code', 'TEST.SOLD_OUT');
      const taken = (await store.readStream(streamId)).reduce((sum, e) => sum + (e.data as { n: number }).n, 0);
      expect(taken).to.equal(100);
    });

    it('when two processes race on one stream, then exactly the stock is taken and never more', async () => {
      const [a, b] = [new StreamProcessor(await open(), uuidGenerator), new StreamProcessor(await open(), uuidGenerator)];
      const streamId = uniqueName('stock');
      const outcomes = await Promise.allSettled(Array.from({ length: 160 }, (_, i) => (i % 2 ? a : b).execute(streamId, stock, { n: 1 })));
      const won = outcomes.filter((o) => o.status === 'fulfilled').length;
      const events = await stores[0]!.readStream(streamId);
      expect(events).to.have.length(won);
      expect(won).to.equal(100);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).to.have.property('code', 'TEST.SOLD_OUT');
    });

    it('when a command is refused on a state another process has changed since, then it is decided again on the fresh state', async () => {
      const [first, second] = [new StreamProcessor(await open(), uuidGenerator), new StreamProcessor(await open(), uuidGenerator)];
      const streamId = uniqueName('stock');
      await first.execute(streamId, stock, { n: 100 });
      await second.execute(streamId, stock, { n: -50 }); // given back
      const taken = await first.execute(streamId, stock, { n: 10 });
      expect(taken.version).to.equal(3);
      const refused = await first.execute(streamId, stock, { n: 50 }).catch((error: DomainError) => error);
      expect(refused).to.have.property('code', 'TEST.SOLD_OUT');
    });

    it('when a command brings its own event ids and is sent again, then nothing is written twice', async () => {
      const store = await open();
      const processor = new StreamProcessor(store, uuidGenerator);
      const streamId = uniqueName('stock');
      const ids = [uuidGenerator.next()];
      const first = await processor.execute(streamId, stock, { n: 5 }, { eventId: (i) => ids[i]! });
      processor.forget();
      await Promise.allSettled([
        processor.execute(streamId, stock, { n: 5 }, { eventId: (i) => ids[i]! }),
        processor.execute(streamId, stock, { n: 1 }),
      ]);
      const events = await store.readStream(streamId);
      expect(events.filter((e) => e.id === ids[0])).to.have.length(1);
      expect(events[0]!.position).to.equal(first.position);
    });
  });
}

for (const backend of STORE_BACKENDS) processorSpec(backend.name, (context) => backend.start(context));
