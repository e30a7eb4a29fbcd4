import { expect } from 'chai';
import type { EventRow } from '../../../../src/infrastructure/event-store/event-rows.js';
import { ReadEventCache } from '../../../../src/infrastructure/event-store/read-event-cache.js';

function row(position: number, id = `e-${position}`, data: unknown = { seats: ['A-1-1'], n: position }): EventRow {
  return {
    position: String(position),
    id,
    stream_id: 'order-1',
    version: position,
    type: 'Placed',
    data: JSON.stringify(data),
    metadata: JSON.stringify({ correlationId: 'c-1' }),
    schema_version: 1,
    recorded_at: '1700000000000',
  };
}

describe('ReadEventCache', () => {
  it('when the same row is read by several readers, then each gets the one event, parsed once', () => {
    const cache = new ReadEventCache();
    const first = cache.eventOf(row(7));
    expect(cache.eventOf(row(7))).to.equal(first);
    expect(first).to.deep.include({ id: 'e-7', position: 7, version: 7, type: 'Placed', data: { seats: ['A-1-1'], n: 7 } });
    expect(first.metadata).to.deep.include({ correlationId: 'c-1', schemaVersion: 1 });
    expect(first.metadata.recordedAt.getTime()).to.equal(1_700_000_000_000);
  });

  it('when a reader tries to change an event it shares, then that throws and the others still read it as written', () => {
    const cache = new ReadEventCache();
    const event = cache.eventOf(row(1));
    const data = event.data as { seats: string[]; n: number };
    expect(() => data.seats.push('A-1-2')).to.throw(TypeError);
    expect(() => (data.n = 2)).to.throw(TypeError);
    expect(() => ((event.metadata as Record<string, unknown>).correlationId = 'x')).to.throw(TypeError);
    expect(cache.eventOf(row(1)).data).to.deep.equal({ seats: ['A-1-1'], n: 1 });
  });

  it('when a position comes back with another event id (another database), then that row is parsed and kept instead', () => {
    const cache = new ReadEventCache();
    cache.eventOf(row(3, 'old', { n: 'old' }));
    const fresh = cache.eventOf(row(3, 'new', { n: 'new' }));
    expect(fresh).to.deep.include({ id: 'new', data: { n: 'new' } });
    expect(cache.eventOf(row(3, 'new', { n: 'new' }))).to.equal(fresh);
  });

  it('when a position as many after an event as it keeps is read, then that event is let go and parsed again when read', () => {
    const cache = new ReadEventCache(undefined, 2);
    const one = cache.eventOf(row(1));
    const two = cache.eventOf(row(2));
    cache.eventOf(row(3));
    expect(cache.eventOf(row(2))).to.equal(two);
    const again = cache.eventOf(row(1));
    expect(again).to.not.equal(one);
    expect(again).to.deep.equal(one);
  });

  it('when an upcaster is given, then the cached event is the upcast one', () => {
    const cache = new ReadEventCache({ Placed: (e) => ({ ...e, data: { upcast: true } }) });
    expect(cache.eventOf(row(5)).data).to.deep.equal({ upcast: true });
    expect(cache.eventOf(row(5)).data).to.deep.equal({ upcast: true });
  });

  it('when this process commits rows, then they are known without a read, parsed once when first read', () => {
    const cache = new ReadEventCache();
    cache.remember([row(10), row(11)]);
    expect(cache.knownAfter(9, 100)).to.equal(11);
    expect(cache.knownAfter(9, 1)).to.equal(10);
    expect(cache.knownAfter(11, 100)).to.equal(11);
    const read = cache.eventOfRead({ ...row(10), data: null, metadata: null });
    expect(read).to.deep.include({ id: 'e-10', position: 10, data: { seats: ['A-1-1'], n: 10 } });
    expect(cache.eventOf(row(10))).to.equal(read);
    expect(Object.isFrozen(read!.data)).to.equal(true);
  });

  it('when a whole run after a position is known, then it is handed out without a read; with one position missing, not at all', () => {
    const cache = new ReadEventCache(undefined, 4);
    cache.remember([row(10), row(11)]);
    cache.eventOf(row(12)); // read from the log
    const run = cache.runThrough(9, 12)!;
    expect(run.map((event) => event.position)).to.deep.equal([10, 11, 12]);
    expect(run[0]).to.equal(cache.eventOf(row(10)));
    expect(cache.runThrough(10, 11)!.map((event) => event.id)).to.deep.equal(['e-11']);
    expect(cache.runThrough(9, 13), 'position 13 is not known').to.equal(undefined);
    expect(cache.runThrough(12, 12), 'an empty run').to.equal(undefined);
    cache.remember([row(14), row(15)]); // 14 takes 10's slot
    expect(cache.runThrough(9, 11), 'position 10 was let go').to.equal(undefined);
  });

  it('when positions here and not here alternate, then the runs of those here are told first to last, as many as asked for', () => {
    const cache = new ReadEventCache();
    cache.remember([row(11), row(12), row(13), row(15), row(18), row(19)]);
    expect(cache.knownRuns(10, 10)).to.deep.equal([
      [11, 13],
      [15, 15],
      [18, 19],
    ]);
    expect(cache.knownRuns(11, 6), 'a page from 12 through 17').to.deep.equal([
      [12, 13],
      [15, 15],
    ]);
    expect(cache.knownRuns(10, 10, 2), 'at most two').to.deep.equal([
      [11, 13],
      [15, 15],
    ]);
    expect(cache.knownRuns(19, 10), 'none after 19').to.deep.equal([]);
  });

  it('when a row read without its data is not known (let go, or another event at that position), then it gives undefined for a full read', () => {
    const cache = new ReadEventCache(undefined, 1);
    cache.remember([row(1), row(2)]);
    expect(cache.eventOfRead({ ...row(1), data: null, metadata: null })).to.equal(undefined);
    expect(cache.eventOfRead({ ...row(2, 'other'), data: null, metadata: null })).to.equal(undefined);
    expect(cache.eventOfRead(row(2, 'other'))).to.deep.include({ id: 'other' });
  });
});
