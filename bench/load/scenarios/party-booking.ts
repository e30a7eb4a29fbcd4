import { randomUUID } from 'node:crypto';
import type { Answer } from '../http-client.js';
import type { SaleTally } from './crowd.js';
import { retryAfterMs, sleep, type LoadMember, type ScenarioContext } from './vu.js';

/** How a party's attempt ended: booked, try again (told why), give up, or nothing left at all. */
export type Attempt = 'booked' | 'again' | 'give-up' | 'sold-out';

/** A POST with an Idempotency-Key; a dead or 5xx answer is waited out and counts as "again". */
export function post(context: ScenarioContext, label: string, path: string, member: LoadMember, body?: unknown): Promise<Answer> {
  const headers = { 'x-forwarded-for': member.ip, 'idempotency-key': randomUUID() };
  return context.client.request(label, 'POST', path, { token: member.accessToken, body, headers });
}

/** Confirms a hold that was just placed and tallies the seats. */
export async function confirmHeld(context: ScenarioContext, tally: SaleTally, member: LoadMember, hold: Answer): Promise<Attempt> {
  const confirm = await post(context, 'confirm', `/api/holds/${hold.body.holdId}/confirm`, member);
  if (confirm.status !== 201) return 'again';
  tally.booked((confirm.body?.seats ?? hold.body.seats ?? []).map(String));
  return 'booked';
}

/** A refusal that is neither a conflict nor an answer: wait as told, then try again. */
export async function unanswered(answer: Answer): Promise<boolean> {
  if (answer.status !== 0 && answer.status < 500 && answer.status !== 429) return false;
  await sleep(retryAfterMs(answer, 50));
  return true;
}
