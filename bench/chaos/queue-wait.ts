import { RETRIED, type Buyer, type BuyerCrowd, type Reply } from './buyers.js';

/** How long a waiting member's poll is held open (short: stopping the crowd waits for it). */
const LONG_POLL_SECONDS = 2;

/**
 * Joins the show's waiting room and long-polls until admitted, as a client does: a failed or
 * unavailable answer is asked again after Retry-After, a place that lapsed (404) or a join refused
 * for its rate (429) is joined again. `at`: when the admission was seen (ms since the run started);
 * undefined when the crowd stopped first, 'closed' when the queue closed.
 */
export async function waitForAdmission(
  crowd: BuyerCrowd,
  member: Buyer,
  showId: string,
): Promise<{ token: string; at: number } | 'closed' | undefined> {
  const path = `/api/shows/${showId}/queue`;
  const prefer = { prefer: `wait=${LONG_POLL_SECONDS}` };
  let reply: Reply = await crowd.request('join', member, 'POST', path, { headers: prefer });
  let asked: 'join' | 'poll' = 'join';
  while (!crowd.isStopped) {
    if (reply.status === 200 && reply.body?.state === 'admitted') return { token: reply.body.admissionToken, at: crowd.now() };
    if (reply.status === 200 && reply.body?.state === 'closed') return 'closed';
    if (RETRIED.has(reply.status) || reply.status === 429) await crowd.pause(reply);
    else if (reply.status !== 200 && reply.status !== 404) throw new Error(`${asked}: ${reply.status} ${JSON.stringify(reply.body)}`);
    // waiting: ask again; absent (404) or refused (429): join again; unanswered: the same again
    asked = reply.status === 404 || reply.status === 429 || (asked === 'join' && reply.status !== 200) ? 'join' : 'poll';
    reply = await crowd.request(asked, member, asked === 'join' ? 'POST' : 'GET', path, { headers: prefer });
  }
  return undefined;
}
