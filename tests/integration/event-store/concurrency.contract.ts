import { expect } from 'chai';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { ClaimTaken, WrongExpectedVersion } from '../../../src/application/ports/event-store.errors.js';
import type { EventStoreOptions } from '../../../src/infrastructure/event-store/event-store-options.js';
import { uniqueName } from '../../support/services.js';
import { event, rejection } from './contract-support.js';
import type { ContractTarget } from './event-store.contract.js';
import { expectCleanRace, raceOnStreams } from './race.js';

export interface ContractContext {
  store(): EventStore;
  open(options?: EventStoreOptions): Promise<EventStore>;
  target(): ContractTarget;
}

/** The part of the contract about concurrent writers: same appends, claims, group commits, the race. */
export function concurrencyContract({ store: current, open, target }: ContractContext): void {
  it('when the same append is sent twice at once, then both get one result and it is written once', async () => {
    const stream = uniqueName('order');
    const events = [event(), event()];
    const [one, two] = await Promise.all([current().append(stream, events, 'no_stream'), current().append(stream, events, 'no_stream')]);
    expect(two).to.deep.equal(one);
    expect((await current().readStream(stream)).length).to.equal(2);
  });

  it('when a claimed value is claimed by another stream, then ClaimTaken until the owner releases it', async () => {
    const email = `${uniqueName('someone')}@example.com`;
    const [alice, bob] = [uniqueName('member'), uniqueName('member')];
    await current().append(alice, [event('SignedUp')], 'no_stream', { claims: [{ scope: 'member-email', value: email }] });
    const taken = await rejection(
      current().append(bob, [event('SignedUp')], 'no_stream', { claims: [{ scope: 'member-email', value: email }] }),
    );
    expect(taken).to.be.instanceOf(ClaimTaken);
    expect(await current().readStream(bob)).to.deep.equal([]);
    await current().append(bob, [event('Noted')], 'any', { releases: [{ scope: 'member-email', value: email }] });
    expect(
      await rejection(current().append(bob, [event()], 'any', { claims: [{ scope: 'member-email', value: email }] })),
    ).to.be.instanceOf(ClaimTaken);
    await current().append(alice, [event('EmailChanged')], 1, { claims: [{ scope: 'member-email', value: email }] });
    await current().append(alice, [event('Left')], 2, { releases: [{ scope: 'member-email', value: email }] });
    await current().append(bob, [event('SignedUp')], 1, { claims: [{ scope: 'member-email', value: email }] });
    expect((await current().readStream(bob)).map((e) => e.type)).to.deep.equal(['Noted', 'SignedUp']);
    await current().append(uniqueName('member'), [event()], 'no_stream', { claims: [{ scope: 'other-scope', value: email }] });
  });

  it('when several sign-ups race for one claim, then exactly one wins', async () => {
    const claim = { scope: 'member-email', value: `${uniqueName('race')}@example.com` };
    const stores = target().shared ? [current(), await open()] : [current()];
    const members = Array.from({ length: 8 }, () => uniqueName('member'));
    const outcomes = await Promise.allSettled(
      members.map((member, i) => stores[i % stores.length].append(member, [event('SignedUp')], 'no_stream', { claims: [claim] })),
    );
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).to.have.length(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).to.be.instanceOf(ClaimTaken);
    const written = await Promise.all(members.map((member) => current().readStream(member)));
    expect(written.filter((events) => events.length > 0)).to.have.length(1);
  });

  it('when appends sent together conflict, then only those fail and the others are written', async () => {
    const email = `${uniqueName('x')}@example.com`;
    const [owner, stale, replayed] = [uniqueName('owner'), uniqueName('stale'), uniqueName('replayed')];
    await current().append(owner, [event()], 'no_stream', { claims: [{ scope: 'member-email', value: email }] });
    await current().append(stale, [event()], 'no_stream');
    const replay = [event()];
    const first = await current().append(replayed, replay, 'no_stream');
    const fresh = Array.from({ length: 10 }, () => uniqueName('fresh'));
    const outcomes = await Promise.allSettled([
      ...fresh.map((stream) => current().append(stream, [event()], 'no_stream')),
      current().append(stale, [event()], 'no_stream'),
      current().append(uniqueName('taker'), [event()], 'no_stream', { claims: [{ scope: 'member-email', value: email }] }),
      current().append(replayed, replay, 'no_stream'),
    ]);
    expect(outcomes.slice(0, 10).map((o) => o.status)).to.deep.equal(new Array(10).fill('fulfilled'));
    expect((outcomes[10] as PromiseRejectedResult).reason).to.be.instanceOf(WrongExpectedVersion);
    expect((outcomes[11] as PromiseRejectedResult).reason).to.be.instanceOf(ClaimTaken);
    expect((outcomes[12] as PromiseFulfilledResult<unknown>).value).to.deep.equal(first);
    for (const stream of fresh) expect((await current().readStream(stream)).length).to.equal(1);
    expect((await current().readStream(stale)).length).to.equal(1);
  });

  it('when many writers race on one stream and on many streams, then a live reader sees every event once, in order', async function () {
    this.timeout(60_000);
    const stores = target().shared ? [current(), await open()] : [current()];
    const shape = {
      hotWriters: 8,
      appendsPerHotWriter: 8,
      streamWriters: 16,
      appendsPerStream: 8,
      gapless: target().gapless,
    };
    const report = await raceOnStreams(stores, shape);
    expectCleanRace(report, shape);
    expect(report.committed).to.equal(64 + 16 * 8 * 2);
  });
}
