import { holdAndConfirm, retryAfterMs, runVirtualUsers, sleep, type LoadMember, type ScenarioContext } from './vu.js';

type Admission = { token: string } | 'closed' | 'retry';

/**
 * The on-sale burst: every virtual user joins the show's queue at the same moment, polls its
 * position, and once admitted holds one ticket (with the Admission-Token) and confirms it; then
 * it comes back as the next member, so the offered load stays the same until the deadline.
 */
export async function flashSaleScenario(context: ScenarioContext): Promise<void> {
  let closed = false;
  await runVirtualUsers(context.connections, async () => {
    let member = context.members.take();
    while (!closed && performance.now() < context.deadline) {
      const admission = await waitForAdmission(context, member);
      if (admission === 'closed') closed = true;
      if (typeof admission !== 'object') continue;
      let outcome = await holdAndConfirm(context, member, admission.token);
      for (let attempt = 0; outcome === 'retry' && attempt < 3 && performance.now() < context.deadline; attempt++) {
        outcome = await holdAndConfirm(context, member, admission.token);
      }
      if (outcome === 'sold-out') closed = true;
      if (outcome !== 'booked') await leave(context, member);
      member = context.members.take();
    }
  });
}

async function waitForAdmission(context: ScenarioContext, member: LoadMember): Promise<Admission> {
  const { client, show } = context;
  const path = `/api/shows/${show.id}/queue`;
  const join = await client.request('join', 'POST', path, { token: member.accessToken, headers: { 'x-forwarded-for': member.ip } });
  if (join.status === 429 || join.status === 0 || join.status >= 500) {
    await sleep(retryAfterMs(join, 500));
    return 'retry';
  }
  let state = join.body;
  while (performance.now() < context.deadline) {
    if (state?.state === 'admitted') return { token: state.admissionToken };
    if (state?.state === 'closed') return 'closed';
    // like k6/flash-sale.js: a quarter of the ETA, at least --poll-ms, at most 5 s
    await sleep(Math.min(Math.max(context.pollMs, ((state?.etaSeconds ?? 0) * 1000) / 4), 5000));
    const poll = await client.request('poll', 'GET', path, { token: member.accessToken, headers: { 'x-forwarded-for': member.ip } });
    state = poll.status === 200 ? poll.body : undefined;
    if (poll.status === 0 || poll.status >= 500) await sleep(retryAfterMs(poll, 500));
  }
  return 'retry';
}

async function leave(context: ScenarioContext, member: LoadMember): Promise<void> {
  await context.client.request('leave', 'DELETE', `/api/shows/${context.show.id}/queue`, {
    token: member.accessToken,
    headers: { 'x-forwarded-for': member.ip },
  });
}
