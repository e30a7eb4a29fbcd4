import { expect } from 'chai';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { IdempotencyMismatch, WrongExpectedVersion } from '../../../src/application/ports/event-store.errors.js';
import type { EventStoreOptions } from '../../../src/infrastructure/event-store/event-store-options.js';
import { uniqueName } from '../../support/services.js';
import { concurrencyContract } from './concurrency.contract.js';
import { event, rejection } from './contract-support.js';

export { event } from './contract-support.js';

export interface ContractTarget {
  /** Opens a store; with `shared`, every store opened sees the same data. */
  open(options?: EventStoreOptions): Promise<EventStore>;
  teardown(): Promise<void>;
  /** Positions are consecutive (SQL, memory) rather than only increasing (KurrentDB). */
  gapless: boolean;
  shared: boolean;
  /** False where the store only notices reused event ids on a version conflict (KurrentDB). */
  detectsReusedIds?: boolean;
}

/** The event store contract: every adapter runs these same tests. */
export function eventStoreContract(name: string, setup: (context: Mocha.Context) => Promise<ContractTarget>): void {
  describe(`event store contract: ${name}`, function () {
    let target: ContractTarget | undefined;
    let store: EventStore;
    const opened: EventStore[] = [];
    const open = async (options?: EventStoreOptions) => {
      const opening = await target!.open(options);
      opened.push(opening);
      return opening;
    };

    before(async function () {
      target = await setup(this);
      store = await open();
    });

    after(async () => {
      for (const each of opened) await each.close();
      await target?.teardown();
    });

    it('when appending to a new stream, then versions count from 1 and positions increase', async () => {
      const stream = uniqueName('order');
      const first = await store.append(stream, [event(), event()], 'no_stream');
      expect(first.versions).to.deep.equal({ [stream]: 2 });
      const second = await store.append(stream, [event()], 2);
      expect(second.versions[stream]).to.equal(3);
      expect(second.position).to.be.greaterThan(first.position);
      const events = await store.readStream(stream);
      expect(events.map((e) => e.version)).to.deep.equal([1, 2, 3]);
      expect(events[1].position).to.equal(first.position);
      expect(events[2].position).to.equal(second.position);
      expect(events.map((e) => e.streamId)).to.deep.equal([stream, stream, stream]);
    });

    it('when the expected version does not hold, then WrongExpectedVersion carries the actual version', async () => {
      const stream = uniqueName('order');
      await store.append(stream, [event(), event()], 'no_stream');
      const stale = await rejection(store.append(stream, [event()], 1));
      expect(stale).to.be.instanceOf(WrongExpectedVersion);
      expect((stale as WrongExpectedVersion).actual).to.equal(2);
      expect(await rejection(store.append(stream, [event()], 'no_stream'))).to.be.instanceOf(WrongExpectedVersion);
      const missing = await rejection(store.append(uniqueName('none'), [event()], 'stream_exists'));
      expect((missing as WrongExpectedVersion).actual).to.equal(0);
      expect(await store.append(stream, [event()], 'stream_exists')).to.have.nested.property(`versions.${stream}`, 3);
      expect(await store.append(stream, [event()], 'any')).to.have.nested.property(`versions.${stream}`, 4);
      expect((await store.readStream(stream)).length).to.equal(4);
    });

    it('when reading a stream from a version, then only events from that version come back', async () => {
      const stream = uniqueName('order');
      await store.append(stream, [event('A'), event('B'), event('C')], 'no_stream');
      expect((await store.readStream(stream, 2)).map((e) => e.type)).to.deep.equal(['B', 'C']);
      expect(await store.readStream(uniqueName('missing'))).to.deep.equal([]);
    });

    it('when events carry metadata, then every read event has it with schema version and recorded time', async () => {
      const stream = uniqueName('order');
      const before = Date.now() - 1000;
      await store.append(
        stream,
        [
          event('Placed', { total: 5 }, { metadata: { correlationId: 'c-1', causationId: 'k-1' } }),
          event('Placed', { total: 6 }, { schemaVersion: 2 }),
        ],
        'no_stream',
      );
      const [one, two] = await store.readStream(stream);
      expect(one.data).to.deep.equal({ total: 5 });
      expect(one.metadata).to.include({ correlationId: 'c-1', causationId: 'k-1', schemaVersion: 1 });
      expect(one.metadata.recordedAt).to.be.instanceOf(Date);
      expect(one.metadata.recordedAt.getTime()).to.be.within(before, Date.now() + 1000);
      expect(two.metadata.schemaVersion).to.equal(2);
    });

    it('when event data and metadata hold quotes, backslashes, control characters and non-ASCII text, then they read back as written', async () => {
      const stream = uniqueName('text');
      const awkward = `it's "quoted" \\ back\\slashed; -- not a comment /* nor this */ ? ?? \n\r\t\u0000\u001a 한글 ✓ 🎫`;
      await store.append(stream, [event('Noted', { awkward, nested: [awkward] }, { metadata: { correlationId: awkward } })], 'no_stream');
      const [read] = await store.readStream(stream);
      expect(read.data).to.deep.equal({ awkward, nested: [awkward] });
      expect(read.metadata.correlationId).to.equal(awkward);
      expect((await store.readAll(read.position - 1, 1))[0].data).to.deep.equal({ awkward, nested: [awkward] });
    });

    it('when one reader of the log tries to change the events it read, then another reader still gets them as written', async () => {
      const stream = uniqueName('shared');
      const { position } = await store.append(stream, [event('Placed', { seats: ['A-1-1'], total: 5 })], 'no_stream');
      const [mine] = await store.readAll(position - 1, 1);
      const data = mine.data as { seats: string[]; total: number };
      // a SQL store hands every reader the same frozen event (this throws); others hand out copies
      try {
        data.seats.push('A-1-2');
        data.total = 6;
      } catch (error) {
        expect(error).to.be.instanceOf(TypeError);
      }
      const [theirs] = await store.readAll(position - 1, 1);
      expect(theirs.data).to.deep.equal({ seats: ['A-1-1'], total: 5 });
    });

    it('when asking for head versions, then each stream answers its version in one call, and 0 when it has no events', async () => {
      const [a, b, missing] = [uniqueName('a'), uniqueName('b'), uniqueName('missing')];
      await store.appendMulti([
        { streamId: a, expected: 'no_stream', events: [event()] },
        { streamId: b, expected: 'no_stream', events: [event(), event()] },
      ]);
      await store.append(a, [event(), event()], 1);
      const heads = await store.headVersions([a, b, missing]);
      expect(Object.fromEntries(heads)).to.deep.equal({ [a]: 3, [b]: 2, [missing]: 0 });
      expect((await store.headVersions([])).size).to.equal(0);
    });

    it('when one stream of a multi-stream append conflicts, then no stream gets events', async () => {
      const [a, b] = [uniqueName('a'), uniqueName('b')];
      const both = await store.appendMulti([
        { streamId: a, expected: 'no_stream', events: [event()] },
        { streamId: b, expected: 'no_stream', events: [event(), event()] },
      ]);
      expect(both.versions).to.deep.equal({ [a]: 1, [b]: 2 });
      const head = await store.headPosition();
      const failure = await rejection(
        store.appendMulti([
          { streamId: a, expected: 1, events: [event()] },
          { streamId: b, expected: 1, events: [event()] },
        ]),
      );
      expect(failure).to.be.instanceOf(WrongExpectedVersion);
      expect((failure as WrongExpectedVersion).streamId).to.equal(b);
      expect((await store.readStream(a)).length).to.equal(1);
      expect((await store.readStream(b)).length).to.equal(2);
      if (target!.gapless) expect(await store.headPosition()).to.equal(head);
    });

    it('when the same events are appended again, then the first result comes back and nothing is written', async () => {
      const stream = uniqueName('order');
      const events = [event('A', { x: 1 }), event('B', { x: 2 })];
      const first = await store.append(stream, events, 'no_stream');
      const again = await store.append(stream, events, 'no_stream');
      expect(again).to.deep.equal(first);
      await store.append(stream, [event()], 2);
      expect(await store.append(stream, events, 'no_stream')).to.deep.equal(first);
      if (target!.detectsReusedIds !== false) expect(await store.append(stream, events, 'any')).to.deep.equal(first);
      expect((await store.readStream(stream)).length).to.equal(3);
    });

    it('when used event ids come with other content or mixed with new ones, then IdempotencyMismatch', async function () {
      if (target!.detectsReusedIds === false) this.skip();
      const stream = uniqueName('order');
      const original = event('A', { x: 1 });
      await store.append(stream, [original], 'no_stream');
      expect(await rejection(store.append(stream, [{ ...original, data: { x: 2 } }], 'any'))).to.be.instanceOf(IdempotencyMismatch);
      expect(await rejection(store.append(stream, [original, event()], 'any'))).to.be.instanceOf(IdempotencyMismatch);
      expect(await rejection(store.append(uniqueName('other'), [original], 'any'))).to.be.instanceOf(IdempotencyMismatch);
      expect((await store.readStream(stream)).length).to.equal(1);
    });

    it('when an upcaster is registered for a type, then reads return the new shape', async () => {
      const upcasting = await open({
        upcasters: {
          NameSet: (e) => (e.metadata.schemaVersion === 1 ? { ...e, data: { fullName: (e.data as { name: string }).name } } : e),
        },
      });
      const stream = uniqueName('member');
      await upcasting.append(stream, [event('NameSet', { name: 'Ada' }), event('Other', { name: 'x' })], 'no_stream');
      const [set, other] = await upcasting.readStream(stream);
      expect(set.data).to.deep.equal({ fullName: 'Ada' });
      expect(other.data).to.deep.equal({ name: 'x' });
      const all = await upcasting.readAll(set.position - 1, 1);
      expect(all[0].data).to.deep.equal({ fullName: 'Ada' });
    });

    it('when reading the log in pages, then positions increase and the head is the last one', async () => {
      const stream = uniqueName('order');
      const { position } = await store.append(stream, [event(), event(), event()], 'no_stream');
      expect(await store.headPosition()).to.be.at.least(position);
      const mine = (await store.readStream(stream)).map((e) => e.position);
      const page = await store.readAll(mine[0] - 1, 2);
      expect(page.map((e) => e.position)).to.deep.equal(mine.slice(0, 2));
      const rest = await store.readAll(page[1].position, 1);
      expect(rest[0].position).to.equal(mine[2]);
    });

    it('when nothing is appended, then waitForEvents resolves false at its timeout or on abort', async () => {
      const head = await store.headPosition();
      expect(await store.waitForEvents(head, 100)).to.equal(false);
      const controller = new AbortController();
      const waiting = store.waitForEvents(head, 10_000, controller.signal);
      setTimeout(() => controller.abort(), 20);
      expect(await waiting).to.equal(false);
      expect(await store.waitForEvents(head - 1, 100)).to.equal(head > 0);
    });

    it('when an event is appended while waiting, then waitForEvents resolves true before its timeout', async () => {
      const head = await store.headPosition();
      const started = Date.now();
      const waiting = store.waitForEvents(head, 10_000);
      setTimeout(() => void store.append(uniqueName('order'), [event()], 'no_stream'), 30);
      expect(await waiting).to.equal(true);
      expect(Date.now() - started).to.be.below(5_000);
    });

    concurrencyContract({ store: () => store, open, target: () => target! });
  });
}
