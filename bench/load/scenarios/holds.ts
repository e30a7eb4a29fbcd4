import { holdAndConfirm, runVirtualUsers, type ScenarioContext } from './vu.js';

/**
 * The seed's "plain" sale: every virtual user holds one ticket and confirms it, again and again,
 * with no waiting room in front (the show's queue is disabled). No think time: offered load is
 * the number of virtual users. After `ticketsPerMember` bookings the virtual user comes back as
 * the next member: with 1, each booking is a member's first, as in the flash sale.
 */
export async function holdsScenario(context: ScenarioContext, ticketsPerMember: number): Promise<void> {
  let soldOut = false;
  await runVirtualUsers(context.connections, async () => {
    let member = context.members.take();
    let booked = 0;
    while (!soldOut && performance.now() < context.deadline) {
      const outcome = await holdAndConfirm(context, member);
      if (outcome === 'sold-out') soldOut = true;
      if (outcome === 'booked') booked++;
      if (outcome === 'next-member' || booked >= ticketsPerMember) {
        member = context.members.take();
        booked = 0;
      }
    }
  });
}
