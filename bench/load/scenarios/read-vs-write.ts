import { holdAndConfirm, runVirtualUsers, type ScenarioContext } from './vu.js';

export type Mix = 'reads' | 'writes' | 'mixed';

/**
 * Browsing against booking: virtual users either browse (show list, one show, its seat map), or
 * hold and confirm, or do both nine browses to one booking. Reads and writes are labelled apart so
 * that the report can put them side by side.
 */
export async function readVsWriteScenario(context: ScenarioContext, mix: Mix): Promise<void> {
  const { client, show } = context;
  let soldOut = false;
  await runVirtualUsers(context.connections, async (index) => {
    let member = context.members.take();
    for (let i = index; !soldOut && performance.now() < context.deadline; i++) {
      const write = mix === 'writes' || (mix === 'mixed' && i % 10 === 0);
      if (!write) {
        const which = i % 3;
        if (which === 0) await client.request('read', 'GET', '/api/shows');
        else if (which === 1) await client.request('read', 'GET', `/api/shows/${show.id}`);
        else await client.request('read', 'GET', `/api/shows/${show.id}/seats`);
        continue;
      }
      const outcome = await holdAndConfirm(context, member);
      if (outcome === 'sold-out') soldOut = true;
      if (outcome === 'next-member') member = context.members.take();
    }
  });
}
