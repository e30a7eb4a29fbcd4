import { holdAndConfirm, runVirtualUsers, type ScenarioContext } from './vu.js';

/**
 * The seed's "plain" sale: every virtual user holds one ticket and confirms it, again and again,
 * with no waiting room in front (the show's queue is disabled). No think time: offered load is
 * the number of virtual users.
 */
export async function holdsScenario(context: ScenarioContext): Promise<void> {
  let soldOut = false;
  await runVirtualUsers(context.connections, async () => {
    let member = context.members.take();
    while (!soldOut && performance.now() < context.deadline) {
      const outcome = await holdAndConfirm(context, member);
      if (outcome === 'sold-out') soldOut = true;
      if (outcome === 'next-member') member = context.members.take();
    }
  });
}
