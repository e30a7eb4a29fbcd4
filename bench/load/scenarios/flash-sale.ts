import {
  holdAndConfirm,
  holdBody,
  retryAfterMs,
  runVirtualUsers,
  sleep,
  type HeardAdmission,
  type LoadMember,
  type ScenarioContext,
} from './vu.js';

type Admission = HeardAdmission | 'closed' | 'retry';

/** Stream events that end a wait; `error` is the server's own failure, answered by polling. */
const ENDS_WAIT = new Set(['admitted', 'closed', 'gone', 'unavailable', 'error']);

/**
 * The on-sale burst: every virtual user joins the show's queue at the same moment, waits for
 * admission (listening on the queue's Server-Sent Events as the web client does, a join held open
 * until admission with `Prefer: wait` for `--wait long-poll`, or polling with `--wait poll`), and once admitted holds one ticket (with the Admission-Token) and confirms it;
 * then it comes back as the next member, so the offered load stays the same until the deadline.
 * With --hold-at-admission the join asks for the ticket (`{hold}`): an admitted join's answer
 * carries the hold, confirmed at once; a `holdProblem` falls back to the usual hold request.
 */
export async function flashSaleScenario(context: ScenarioContext): Promise<void> {
  let closed = false;
  await runVirtualUsers(context.connections, async () => {
    let member = context.members.takeAlone();
    while (!closed && performance.now() < context.deadline) {
      // a long poll needs a second at least: in the run's last second nobody joins any more
      if (context.wait === 'long-poll' && context.deadline - performance.now() < 1000) break;
      const admission = await waitForAdmission(context, member);
      if (admission === 'closed') closed = true;
      if (typeof admission !== 'object') continue;
      context.stats.admissionsHeard++;
      let outcome = await holdAndConfirm(context, member, admission);
      for (let attempt = 0; outcome === 'retry' && attempt < 3 && performance.now() < context.deadline; attempt++) {
        outcome = await holdAndConfirm(context, member, admission);
      }
      if (outcome === 'sold-out') closed = true;
      if (outcome !== 'booked') await leave(context, member);
      member = context.members.takeAlone(member);
    }
  });
}

/**
 * `Prefer: wait` asks the server to hold a waiting member's answer back (a long poll): 20 s, or
 * what is left of the run, so that no wait outlasts it (the run's rate divides by its length).
 */
function longPollHeader(context: ScenarioContext): Record<string, string> {
  const seconds = Math.floor((context.deadline - performance.now()) / 1000);
  return { prefer: `wait=${Math.max(0, Math.min(20, seconds))}` };
}

async function waitForAdmission(context: ScenarioContext, member: LoadMember): Promise<Admission> {
  const longPoll = context.wait === 'long-poll';
  // a long-polled join lasts until admission: its time is waiting, not latency
  if (longPoll) context.stats.waits.add('join+wait');
  const join = await context.client.request(longPoll ? 'join+wait' : 'join', 'POST', `/api/shows/${context.show.id}/queue`, {
    token: member.accessToken,
    headers: { 'x-forwarded-for': member.ip, ...(longPoll ? longPollHeader(context) : {}) },
    // hold at admission: the join asks for the ticket, an admitted answer carries its hold
    ...(context.holdAtAdmission ? { body: { hold: holdBody(context.show) } } : {}),
  });
  if (join.status === 429 || join.status === 0 || join.status >= 500) {
    await sleep(retryAfterMs(join, 500));
    return 'retry';
  }
  context.stats.outcome(`join ${join.body?.state ?? join.status}`);
  if (join.body?.holdProblem) context.stats.outcome(`join holdProblem ${join.body.holdProblem.code}`);
  if (context.wait !== 'sse') return poll(context, member, join.body);
  if (join.body?.state === 'admitted' || join.body?.state === 'closed') return poll(context, member, join.body);
  const heard = await listen(context, member);
  // the stream failed or ended without an answer: poll instead, as the web client does
  return heard === 'poll' ? poll(context, member, undefined) : heard;
}

/** Listens on the queue's events until admitted, closed, gone or unavailable (or the deadline). */
async function listen(context: ScenarioContext, member: LoadMember): Promise<Admission | 'poll'> {
  const heard = await context.client.listen('listen', `/api/shows/${context.show.id}/queue/events`, {
    token: member.accessToken,
    headers: { 'x-forwarded-for': member.ip },
    until: (event) => ENDS_WAIT.has(event.event),
    deadline: context.deadline,
  });
  context.stats.outcome(`listen ${heard.event?.event ?? heard.ended}`);
  const data = heard.event ? parseJson(heard.event.data) : undefined;
  switch (heard.event?.event) {
    case 'admitted':
      return data?.admissionToken ? admissionOf(data) : 'poll';
    case 'closed':
      return 'closed';
    case 'gone':
      return 'retry';
    case 'unavailable':
      await sleep(Math.min(Number(data?.retryAfterSeconds ?? 5) * 1000, Math.max(0, context.deadline - performance.now())));
      return 'retry';
  }
  return heard.ended === 'deadline' ? 'retry' : 'poll';
}

/**
 * Polls until admitted or closed: a quarter of the ETA, at least --poll-ms, at most 3 s (as
 * k6/flash-sale.js does without `Prefer: wait`); with --wait long-poll, asks again at once with
 * `Prefer: wait` (the server answers at admission).
 */
async function poll(context: ScenarioContext, member: LoadMember, first: any): Promise<Admission> {
  const path = `/api/shows/${context.show.id}/queue`;
  const longPoll = context.wait === 'long-poll';
  if (longPoll) context.stats.waits.add('long poll');
  let state = first;
  // admitted as the run ended: the place is taken, but the virtual user books no more
  if (state?.state === 'admitted' && performance.now() >= context.deadline) context.stats.outcome('admitted after the run');
  while (performance.now() < context.deadline) {
    if (state?.state === 'admitted') return admissionOf(state);
    if (state?.state === 'closed') return 'closed';
    if (longPoll && context.deadline - performance.now() < 1000) break;
    if (!longPoll) await sleep(Math.min(Math.max(context.pollMs, ((state?.etaSeconds ?? 0) * 1000) / 4), 3000));
    const answer = await context.client.request(longPoll ? 'long poll' : 'poll', 'GET', path, {
      token: member.accessToken,
      headers: { 'x-forwarded-for': member.ip, ...(longPoll ? longPollHeader(context) : {}) },
    });
    // the place lapsed (ADMISSION.NOT_IN_QUEUE): join again
    if (answer.status === 404) return 'retry';
    state = answer.status === 200 ? answer.body : undefined;
    if (answer.status === 0 || answer.status >= 500) await sleep(retryAfterMs(answer, 500));
  }
  return 'retry';
}

/** The admission a view tells of, with the hold a join's answer carries (none with holdProblem: the usual hold follows). */
function admissionOf(view: { admissionToken: string; expiresAt: string; hold?: HeardAdmission['hold'] }): HeardAdmission {
  const admission: HeardAdmission = { token: view.admissionToken, leaseEndsAt: Date.parse(view.expiresAt) };
  if (view.hold?.holdId) admission.hold = view.hold;
  return admission;
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function leave(context: ScenarioContext, member: LoadMember): Promise<void> {
  await context.client.request('leave', 'DELETE', `/api/shows/${context.show.id}/queue`, {
    token: member.accessToken,
    headers: { 'x-forwarded-for': member.ip },
  });
}
