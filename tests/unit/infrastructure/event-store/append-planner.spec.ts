import { expect } from 'chai';
import { ClaimTaken, IdempotencyMismatch, WrongExpectedVersion } from '../../../../src/application/ports/event-store.errors.js';
import { planBatch, resultOf, type BatchState } from '../../../../src/infrastructure/event-store/append-planner.js';
import { claimKey, prepareAppend } from '../../../../src/infrastructure/event-store/prepared-append.js';

const empty = (): BatchState => ({ versions: new Map(), claimOwners: new Map(), eventsById: new Map() });
const one = (id: string) => ({ id, type: 'T', data: { id } });

describe('append planner', () => {
  it('when two appends of one batch target one stream, then the second sees the first as committed', () => {
    const plan = planBatch(
      [
        prepareAppend([{ streamId: 's', expected: 'no_stream', events: [one('a'), one('b')] }]),
        prepareAppend([{ streamId: 's', expected: 2, events: [one('c')] }]),
        prepareAppend([{ streamId: 's', expected: 2, events: [one('d')] }]),
      ],
      empty(),
    );
    expect(plan.events.map((e) => [e.id, e.version, e.offset])).to.deep.equal([
      ['a', 1, 0],
      ['b', 2, 1],
      ['c', 3, 2],
    ]);
    expect(resultOf(plan, 0, 101)).to.deep.equal({ position: 102, versions: { s: 2 } });
    expect(resultOf(plan, 1, 101)).to.deep.equal({ position: 103, versions: { s: 3 } });
    expect((resultOf(plan, 2, 101) as WrongExpectedVersion).actual).to.equal(3);
    expect(plan.streamVersions).to.deep.equal(new Map([['s', 3]]));
  });

  it('when a claim is taken earlier in the batch or in the store, then only that append fails', () => {
    const email = { scope: 'member-email', value: 'a@b.c' };
    const state = empty();
    const plan = planBatch(
      [
        prepareAppend([{ streamId: 'm1', expected: 'no_stream', events: [one('a')] }], { claims: [email] }),
        prepareAppend([{ streamId: 'm2', expected: 'no_stream', events: [one('b')] }], { claims: [email] }),
        prepareAppend([{ streamId: 'm3', expected: 'no_stream', events: [one('c')] }]),
      ],
      state,
    );
    expect(plan.outcomes.map((o) => o.kind)).to.deep.equal(['accepted', 'failed', 'accepted']);
    expect(resultOf(plan, 1, 1)).to.be.instanceOf(ClaimTaken);
    expect(plan.claimInserts).to.deep.equal([{ scope: 'member-email', valueHash: claimKey(email).valueHash, owner: 'm1' }]);
    expect(plan.events.map((e) => e.offset)).to.deep.equal([0, 1]);
  });

  it('when ids were stored before, then the append replays the first result or fails on other content', () => {
    const state = empty();
    state.versions.set('s', 5);
    state.eventsById.set('a', { id: 'a', streamId: 's', version: 4, position: 40, type: 'T', data: JSON.stringify({ id: 'a' }) });
    state.eventsById.set('b', { id: 'b', streamId: 's', version: 5, position: 41, type: 'T', data: JSON.stringify({ id: 'b' }) });
    const plan = planBatch(
      [
        prepareAppend([{ streamId: 's', expected: 3, events: [one('a'), one('b')] }]),
        prepareAppend([{ streamId: 's', expected: 3, events: [{ ...one('a'), data: { other: true } }] }]),
        prepareAppend([{ streamId: 's', expected: 5, events: [one('b'), one('new')] }]),
      ],
      state,
    );
    expect(resultOf(plan, 0, 1)).to.deep.equal({ position: 41, versions: { s: 5 } });
    expect(resultOf(plan, 1, 1)).to.be.instanceOf(IdempotencyMismatch);
    expect(resultOf(plan, 2, 1)).to.be.instanceOf(IdempotencyMismatch);
    expect(plan.events).to.deep.equal([]);
  });
});
