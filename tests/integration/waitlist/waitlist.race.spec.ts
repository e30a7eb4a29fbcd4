import { expect } from 'chai';
import type { RecordedEvent } from '../../../src/application/ports/event-store.js';
import { waitlistStreamId } from '../../../src/domain/waitlist/waitlist.events.js';
import type { SeedMember } from '../../../src/infrastructure/cli/seed-output.js';
import { BookingProcesses } from '../booking/booking-processes.js';

const SEATS = 12;
const WAITING = 20;
const LIMIT = 2;
/** Offers last 6 s, so that the ones left to expire pass on within the test. */
const OFFER_MINUTES = '0.1';

type Data = Record<string, any>;

describe('the waiting list under a race (two server processes, MariaDB + Redis)', function () {
  this.timeout(240_000);
  let processes: BookingProcesses;
  let showId: string;
  let buyers: SeedMember[];
  let waiting: SeedMember[];
  const reservations: string[] = [];

  before(async function () {
    processes = await BookingProcesses.start(this, {
      store: 'mysql',
      processes: [{ env: { WAITLIST_OFFER_MINUTES: OFFER_MINUTES } }, { env: { WAITLIST_OFFER_MINUTES: OFFER_MINUTES } }],
      members: SEATS + WAITING,
      holdTtlSeconds: 600,
    });
    buyers = processes.members.slice(0, SEATS);
    waiting = processes.members.slice(SEATS);
    showId = await processes.schedule({ sections: [{ id: 'A', name: 'Stalls', rows: 1, seatsPerRow: SEATS, price: 1000 }] }, LIMIT);
    for (const [i, buyer] of buyers.entries()) {
      const held = await processes.send(i % 2, buyer, 'POST', `/api/shows/${showId}/holds`, { seats: [`A-1-${i + 1}`] });
      expect(held.status, JSON.stringify(held.body)).to.equal(201);
      const confirmed = await processes.send(i % 2, buyer, 'POST', `/api/holds/${held.body.holdId}/confirm`);
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
      reservations.push(confirmed.body.reservationId);
    }
  });

  after(async () => {
    await processes?.close();
  });

  /**
   * A waiting member's side: looks for an offer on one process, then confirms it (most), declines
   * it on the other process (every sixth in join order), or lets it expire (every sixth), until off the list.
   */
  async function follow(i: number, member: SeedMember, position: number, until: number, done: () => boolean): Promise<string[]> {
    const log: string[] = [];
    while (Date.now() < until && !done()) {
      const place = await processes.send(i % 2, member, 'GET', `/api/shows/${showId}/waitlist`);
      if (place.status === 404) return log;
      const offer = place.body.offer as { holdId: string } | undefined;
      if (offer && !log.includes(offer.holdId)) {
        log.push(offer.holdId);
        if (position % 6 === 5) {
          const declined = await processes.send((i + 1) % 2, member, 'POST', `/api/shows/${showId}/waitlist/offer/decline`);
          expect(declined.status, JSON.stringify(declined.body)).to.equal(204);
        } else if (position % 6 !== 4) {
          const confirmed = await processes.send((i + 1) % 2, member, 'POST', `/api/holds/${offer.holdId}/confirm`);
          expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return log;
  }

  async function everyoneGone(): Promise<boolean> {
    const places = await Promise.all(waiting.map((member) => processes.send(0, member, 'GET', `/api/shows/${showId}/waitlist`)));
    return places.every((place) => place.status === 404);
  }

  it('when 20 members join at once and 12 reservations are cancelled at once on two processes, then each returned seat goes to one member at a time, strictly in join order, and is sold once', async () => {
    const joins = await Promise.all(
      waiting.map((member, i) => processes.send(i % 2, member, 'POST', `/api/shows/${showId}/waitlist`, { quantity: 1 })),
    );
    for (const joined of joins) expect(joined.status, JSON.stringify(joined.body)).to.equal(201);
    expect(joins.map((j) => j.body.place as number).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: WAITING }, (_, i) => i + 1));

    const until = Date.now() + 120_000;
    let settled = false;
    // who declines and who lets the offer expire goes by place in the list (joins raced), so both happen among the first offers
    const joined = (await processes.store.readStream(waitlistStreamId(showId))).map((e) => (e.data as Data).memberId as string);
    const followers = waiting.map((member, i) => follow(i, member, joined.indexOf(member.id), until, () => settled));
    const cancels = await Promise.all(
      buyers.map((buyer, i) => processes.send(i % 2, buyer, 'DELETE', `/api/reservations/${reservations[i]}`)),
    );
    for (const cancelled of cancels) expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(204);
    // settled: every seat sold again, or nobody left on the list
    while (!settled && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await processes.store.readAll(0, 100_000);
      const sold = [...keptReservations(now, showId).values()].reduce((sum, n) => sum + n, 0);
      settled = sold === SEATS || (await everyoneGone());
    }
    await Promise.all(followers);

    const events = await processes.store.readAll(0, 100_000);
    const list = events.filter((e) => e.streamId === waitlistStreamId(showId));
    const joinOrder = list.filter((e) => e.type === 'WaitlistJoined').map((e) => (e.data as Data).memberId as string);
    expect(joinOrder).to.have.length(WAITING);

    // strict order: the members offered, first offers only, are the first of the list in join order
    const offers = list.filter((e) => e.type === 'WaitlistOffered').map((e) => e.data as Data);
    const firstOffered = [...new Set(offers.map((o) => o.memberId as string))];
    expect(firstOffered).to.deep.equal(joinOrder.slice(0, firstOffered.length));

    // one member at a time: no seat is in two open offers
    const open = new Map<string, string>();
    for (const event of list) {
      const data = event.data as Data;
      if (event.type === 'WaitlistOffered') {
        for (const seat of data.seats as string[]) {
          expect(open.has(seat), `${seat} offered to ${data.memberId} while open to ${open.get(seat)}`).to.equal(false);
          open.set(seat, data.holdId);
        }
      } else if (['WaitlistOfferAccepted', 'WaitlistOfferLapsed', 'WaitlistOfferFailed'].includes(event.type)) {
        for (const [seat, holdId] of open) if (holdId === data.holdId) open.delete(seat);
      }
    }

    // every offer is a hold placed once, in the member's name
    const placed = events.filter((e) => e.type === 'HoldPlaced').map((e) => e.data as Data);
    for (const offer of offers) {
      const holds = placed.filter((h) => h.holdId === offer.holdId);
      expect(holds, `the hold of ${offer.holdId}`).to.have.length(1);
      expect(holds[0]!.memberId).to.equal(offer.memberId);
    }

    // no seat sold twice; no member above the limit
    expect(soldTwice(events)).to.deep.equal([]);
    const kept = keptReservations(events, showId);
    for (const [member, count] of kept) expect(count, member).to.be.at.most(LIMIT);

    // it all settled: every seat sold to a member of the list, or the list ran out
    const accepted = list.filter((e) => e.type === 'WaitlistOfferAccepted').length;
    const soldSeats = [...kept.values()].reduce((sum, n) => sum + n, 0);
    expect(accepted).to.equal(soldSeats);
    const left = waiting.length - list.filter((e) => /Accepted|Lapsed/.test(e.type)).length;
    expect(soldSeats === SEATS || left === 0, `${soldSeats} sold, ${left} still waiting`).to.equal(true);
    expect(list.some((e) => e.type === 'WaitlistOfferLapsed' && (e.data as Data).reason === 'expired')).to.equal(true);
    expect(list.some((e) => e.type === 'WaitlistOfferLapsed' && (e.data as Data).reason === 'declined')).to.equal(true);
  });
});

/** Seats sold while already sold to another hold (in each inventory stream's order). */
function soldTwice(events: RecordedEvent[]): string[] {
  const soldTo = new Map<string, string>();
  const twice: string[] = [];
  for (const event of events.filter((e) => e.streamId.startsWith('inventory-'))) {
    const data = event.data as Data;
    for (const seat of data.seats as string[]) {
      const key = `${event.streamId}/${seat}`;
      if (event.type === 'SeatsSold') {
        if (soldTo.has(key) && soldTo.get(key) !== data.holdId) twice.push(seat);
        soldTo.set(key, data.holdId);
      }
      if (event.type === 'SeatsReleased' && soldTo.get(key) === data.holdId) soldTo.delete(key);
    }
  }
  return twice;
}

/** Tickets each member keeps (confirmed, not cancelled) for the show. */
function keptReservations(events: RecordedEvent[], showId: string): Map<string, number> {
  const kept = new Map<string, number>();
  for (const event of events) {
    const data = event.data as Data;
    if (data.showId !== showId) continue;
    if (event.type === 'HoldConfirmed') kept.set(data.memberId, (kept.get(data.memberId) ?? 0) + data.quantity);
    if (event.type === 'ReservationCancelled') kept.set(data.memberId, (kept.get(data.memberId) ?? 0) - data.quantity);
  }
  for (const [member, count] of kept) if (count === 0) kept.delete(member);
  return kept;
}
