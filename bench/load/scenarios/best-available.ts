import { Crowd, SaleTally, type Party } from './crowd.js';
import { confirmHeld, post, unanswered, type Attempt } from './party-booking.js';
import { handPick } from './hand-picking.js';
import { runVirtualUsers, type LoadMember, type ScenarioContext } from './vu.js';

/** A section of the show in rank order (the seeded shows list the dearest first). */
export interface SaleSection {
  id: string;
  price: number;
}

export type PartyBooker = (
  context: ScenarioContext,
  tally: SaleTally,
  member: LoadMember,
  party: Party,
  sections: SaleSection[],
) => Promise<Attempt>;

/**
 * A crowd of parties (1–6 seats, 80 % wanting the best section, the rest a cheaper one) buys a
 * reserved show until it is sold out or the run ends, each party as one member, either asking for
 * the best available seats or picking them by hand on the seat map (`hand-picking.ts`). Every
 * party tries until it is seated or its size no longer fits; every 409 on the way is counted.
 */
export async function partySaleScenario(
  context: ScenarioContext,
  how: 'best-available' | 'hand-picking',
  crowd = new Crowd(),
): Promise<SaleTally> {
  const tally = new SaleTally(context.show.seats, context.stats);
  const sections = await sectionsOf(context);
  const book: PartyBooker = how === 'best-available' ? bestAvailable : handPick;
  let soldOut = false;
  await runVirtualUsers(context.connections, async () => {
    while (!soldOut && performance.now() < context.deadline) {
      const outcome = await book(context, tally, context.members.take(), crowd.next(), sections);
      if (outcome === 'sold-out') soldOut = true;
      if (outcome === 'give-up') tally.gaveUp++;
    }
  });
  context.stats.endedAt = Date.now();
  return tally;
}

async function sectionsOf(context: ScenarioContext): Promise<SaleSection[]> {
  const response = await fetch(new URL(`/api/shows/${context.show.id}`, context.serverUrl));
  const show = (await response.json()) as { seating?: { sections?: SaleSection[] } };
  return (show.seating?.sections ?? []).map((section) => ({ id: section.id, price: section.price }));
}

/** What a party asks for: the best section, or (the other 20 %) anything at the second price or less. */
export function wish(party: Party, sections: SaleSection[]): { section?: string; maxPrice?: number } {
  if (party.wantsBest || sections.length < 2) return { section: sections[0]?.id };
  return { maxPrice: sections[1]!.price };
}

/**
 * One party asks for the best available seats. Refused in its section (none left, or none side by
 * side), it widens to any section; refused as not together anywhere, it takes `together: "preferred"`.
 */
async function bestAvailable(
  context: ScenarioContext,
  tally: SaleTally,
  member: LoadMember,
  party: Party,
  sections: SaleSection[],
): Promise<Attempt> {
  const request: Record<string, unknown> = { quantity: party.size, ...wish(party, sections) };
  for (let attempt = 0; attempt < 8 && performance.now() < context.deadline; attempt++) {
    const hold = await post(context, 'hold', `/api/shows/${context.show.id}/holds`, member, request);
    if (hold.status === 201) {
      if ((await confirmHeld(context, tally, member, hold)) === 'booked') return 'booked';
      continue;
    }
    if (await unanswered(hold)) continue;
    if (hold.status !== 409) return 'give-up';
    if (Array.isArray(hold.body?.seats)) tally.collisions++;
    else tally.refusals++;
    const narrowed = 'section' in request || 'maxPrice' in request;
    const code = hold.body?.code;
    if (code !== 'BOOKING.NOT_TOGETHER' && code !== 'BOOKING.SEATS_UNAVAILABLE') return 'give-up';
    if (narrowed) {
      delete request.section;
      delete request.maxPrice;
    } else if (code === 'BOOKING.NOT_TOGETHER') request.together = 'preferred';
    else return hold.body?.available === 0 ? 'sold-out' : 'give-up';
  }
  return 'give-up';
}
