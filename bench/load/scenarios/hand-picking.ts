import type { Party } from './crowd.js';
import type { SaleTally } from './crowd.js';
import type { SaleSection } from './best-available.js';
import { bestBlocks, freeSeats, hallOf, scatteredSeats, type HallSection } from './hall-map.js';
import { confirmHeld, post, unanswered, type Attempt } from './party-booking.js';
import type { LoadMember, ScenarioContext } from './vu.js';

/** How many of the best blocks a buyer looking at the map might go for: a crowd wants the same few. */
const TOP = 5;

/**
 * One party picks by hand, as a buyer on the seat map does: reads the map, goes for one of the
 * few best blocks of adjacent free seats in the section it wants (else any section, else the best
 * seats apart), and holds them. A seat someone took meanwhile (409) sends it back to the map; a
 * show that refuses orphans (409 BOOKING.ORPHAN_SEAT) suggests seats, which it takes.
 */
export async function handPick(
  context: ScenarioContext,
  tally: SaleTally,
  member: LoadMember,
  party: Party,
  sections: SaleSection[],
): Promise<Attempt> {
  // seats a 409 named as taken: the web client drops them from the buyer's view until the map shows them
  const taken = new Set<string>();
  for (let attempt = 0; attempt < 8 && performance.now() < context.deadline; attempt++) {
    const map = await context.client.request('seats', 'GET', `/api/shows/${context.show.id}/seats`, {
      token: member.accessToken,
      headers: { 'x-forwarded-for': member.ip },
    });
    if (map.status !== 200) {
      await unanswered(map);
      continue;
    }
    const hall = withTaken(hallOf(map.body), taken);
    const free = freeSeats(hall);
    if (free === 0) return 'sold-out';
    if (free < party.size) return 'give-up';
    const seats = choose(hall, party, sections);
    let hold = await post(context, 'hold', `/api/shows/${context.show.id}/holds`, member, { seats });
    if (hold.status === 409 && hold.body?.code === 'BOOKING.ORPHAN_SEAT' && Array.isArray(hold.body.suggestion)) {
      tally.collisions++;
      hold = await post(context, 'hold', `/api/shows/${context.show.id}/holds`, member, { seats: hold.body.suggestion });
    }
    if (hold.status === 201) {
      if ((await confirmHeld(context, tally, member, hold)) === 'booked') return 'booked';
      continue;
    }
    if (await unanswered(hold)) continue;
    if (hold.status !== 409) return 'give-up';
    if (hold.body?.code === 'BOOKING.SEATS_UNAVAILABLE' && !Array.isArray(hold.body.seats)) tally.refusals++;
    else tally.collisions++;
    for (const seat of hold.body?.seats ?? []) taken.add(String(seat));
    if (hold.body?.code !== 'BOOKING.SEATS_UNAVAILABLE' && hold.body?.code !== 'BOOKING.ORPHAN_SEAT') return 'give-up';
  }
  return 'give-up';
}

function choose(hall: ReturnType<typeof hallOf>, party: Party, sections: SaleSection[]): string[] {
  const wanted = party.wantsBest
    ? hall.slice(0, 1)
    : hall.filter((section) => sections.find((s) => s.id === section.id && s.price <= (sections[1]?.price ?? Infinity)));
  const blocks = bestBlocks(wanted, party.size, TOP);
  const anywhere = blocks.length > 0 ? blocks : bestBlocks(hall, party.size, TOP);
  if (anywhere.length === 0) return scatteredSeats(hall, party.size);
  return anywhere[Math.floor(Math.random() * anywhere.length)]!.seats;
}

function withTaken(hall: HallSection[], taken: Set<string>): HallSection[] {
  if (taken.size === 0) return hall;
  return hall.map((section) => ({
    id: section.id,
    rows: section.rows.map((row, r) => row.replace(/./g, (code, n: number) => (taken.has(`${section.id}-${r + 1}-${n + 1}`) ? 's' : code))),
  }));
}
