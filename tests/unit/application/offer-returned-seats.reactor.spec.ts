import 'reflect-metadata';
import { expect } from 'chai';
import type { RecordedEvent } from '../../../src/application/ports/event-store.js';
import { OfferReturnedSeatsReactor } from '../../../src/application/waitlist/offer-returned-seats.reactor.js';
import { waitlistStreamId } from '../../../src/domain/waitlist/waitlist.events.js';
import { InMemoryEventStore } from '../../../src/infrastructure/event-store/memory/in-memory-event-store.js';

const SHOW = 'show-1';
const AT = '2030-01-01T00:00:00.000Z';
let position = 0;

function confirmed(holdId: string): RecordedEvent {
  const data = { showId: SHOW, holdId, memberId: `m-${holdId}`, reservationId: `r-${holdId}` };
  return {
    id: `e-${holdId}`,
    type: 'HoldConfirmed',
    streamId: 'ledger',
    version: 1,
    data,
    metadata: { schemaVersion: 1, recordedAt: new Date(AT) },
    position: ++position,
  };
}

async function listWithOffer(store: InMemoryEventStore, holdId: string): Promise<void> {
  const base = { showId: SHOW, memberId: 'waiting' };
  await store.append(
    waitlistStreamId(SHOW),
    [
      { id: 'w1', type: 'WaitlistJoined', data: { ...base, quantity: 1, joinedAt: AT } },
      {
        id: 'w2',
        type: 'WaitlistOffered',
        data: { ...base, holdId, part: 'A', seats: ['A-1-1'], quantity: 1, expiresAt: AT, offeredAt: AT, source: 'released-1' },
      },
    ],
    'no_stream',
  );
}

function reactorOn(store: InMemoryEventStore): { reactor: OfferReturnedSeatsReactor; reads: () => number } {
  let reads = 0;
  const readStream = store.readStream.bind(store);
  store.readStream = (streamId, from) => ((reads += 1), readStream(streamId, from));
  const clock = { now: () => new Date(AT) };
  const none = undefined as never;
  const reactor = new OfferReturnedSeatsReactor(store, none, none, clock as never, { WAITLIST_OFFER_MINUTES: 5 }, none);
  return { reactor, reads: () => reads };
}

describe('the waiting list reactor, a page of events at a time', () => {
  it('when a page of confirmations settles no offer, then the list is read once and every event is acted on, in order', async () => {
    const store = new InMemoryEventStore();
    await listWithOffer(store, 'offered-hold');
    const { reactor, reads } = reactorOn(store);
    const page = [confirmed('h1'), confirmed('h2'), confirmed('h3')];
    const acted: RecordedEvent[] = [];
    await reactor.reactAll(page, (event) => acted.push(event));
    expect(acted).to.deep.equal(page);
    expect(reads()).to.equal(1);
    expect((await store.readStream(waitlistStreamId(SHOW))).map((e) => e.type)).to.deep.equal(['WaitlistJoined', 'WaitlistOffered']);
  });

  it('when a confirmation in the page is of an offered hold, then that offer is settled as accepted', async () => {
    const store = new InMemoryEventStore();
    await listWithOffer(store, 'offered-hold');
    const { reactor } = reactorOn(store);
    const acted: string[] = [];
    await reactor.reactAll([confirmed('h1'), confirmed('offered-hold'), confirmed('h2')], (event) => acted.push(event.id));
    expect(acted).to.deep.equal(['e-h1', 'e-offered-hold', 'e-h2']);
    const list = await store.readStream(waitlistStreamId(SHOW));
    expect(list.map((e) => e.type)).to.deep.equal(['WaitlistJoined', 'WaitlistOffered', 'WaitlistOfferAccepted']);
    expect(list[2]!.data).to.include({ holdId: 'offered-hold', memberId: 'waiting' });
  });
});
