import { randomUUID } from 'node:crypto';
import type { SeedMember, SeedOutput, SeedShow } from '../../../src/infrastructure/cli/seed-output.js';
import type { Answer, LoadClient } from '../http-client.js';
import type { LoadStats } from '../stats.js';

export interface ScenarioContext {
  client: LoadClient;
  stats: LoadStats;
  seed: SeedOutput;
  show: SeedShow;
  members: MemberPool;
  /** performance.now() after which virtual users stop starting new iterations. */
  deadline: number;
  connections: number;
  pollMs: number;
  /** How a waiting member learns of its admission: Server-Sent Events, a long poll (`Prefer: wait`), or polling. */
  wait: 'sse' | 'long-poll' | 'poll';
  /** Send an Idempotency-Key with holds and confirms, as a careful client does (default). */
  idempotencyKeys: boolean;
  /** Join with `{hold}` (hold at admission): an admitted join's answer carries the hold, which is confirmed without a hold request. */
  holdAtAdmission?: boolean;
  /** The server itself (not Nginx): for reads that are not part of the load, such as a final seat map. */
  serverUrl?: string;
}

/** A seeded member with an address of their own (see MemberPool). */
export type LoadMember = SeedMember & { ip: string };

/**
 * Hands members out in turn: a member who reached the per-member limit is swapped for the next.
 * Each member gets an address of their own, sent as X-Forwarded-For: a real on-sale crowd comes
 * from many addresses, and the per-address limits (e.g. 60 queue joins a minute) would otherwise
 * treat every virtual user on 127.0.0.1 as one client.
 */
export class MemberPool {
  private next = 0;
  private readonly members: LoadMember[];
  /** Members a virtual user is acting as now: two users as one member would end each other's admission. */
  private readonly inUse = new Set<string>();
  constructor(members: SeedMember[]) {
    if (members.length === 0) throw new Error('the seed has no members');
    this.members = members.map((member, i) => ({ ...member, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
  }
  take(): LoadMember {
    return this.members[this.next++ % this.members.length]!;
  }
  /**
   * The next member no other virtual user is acting as, `previous` handed back. The flash sale needs
   * it: the pool wraps round when a run outlasts it, a member has one admission whichever client
   * asks, and one user's confirm would end it under the other's hold (403 ADMISSION.INVALID).
   */
  takeAlone(previous?: LoadMember): LoadMember {
    if (previous) this.inUse.delete(previous.id);
    for (let tries = 0; tries < this.members.length; tries++) {
      const member = this.members[this.next++ % this.members.length]!;
      if (this.inUse.has(member.id)) continue;
      this.inUse.add(member.id);
      return member;
    }
    throw new Error(`every one of the ${this.members.length} members is in use: seed more (--members)`);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Codes that mean "nothing left to sell": the virtual user stops. */
export const SOLD_OUT = new Set(['BOOKING.SOLD_OUT', 'BOOKING.SALES_CLOSED', 'ADMISSION.SOLD_OUT']);

export function isSoldOut(answer: Answer, show: SeedShow): boolean {
  const code = answer.body?.code as string | undefined;
  if (code && SOLD_OUT.has(code)) return true;
  // General admission has no seats to name: unavailable means the pool is empty.
  return show.seating === 'general' && code === 'BOOKING.SEATS_UNAVAILABLE';
}

let seatCursor = 0;

/**
 * One pool ticket, or the next seat in a stride through the map (a prime step, so that every seat
 * comes up once before any comes up again): buyers spread over the hall as "best available" does.
 */
export function holdBody(show: SeedShow): { quantity: number } | { seats: string[] } {
  if (show.seating === 'general' || show.seats.length === 0) return { quantity: 1 };
  seatCursor = (seatCursor + 1) % show.seats.length;
  return { seats: [show.seats[(seatCursor * 7919) % show.seats.length]!] };
}

/** What an admitted member was told: the token, when the server said the lease ends (epoch ms), and the hold a join asked for. */
export interface HeardAdmission {
  token: string;
  leaseEndsAt: number;
  /** Placed at admission (hold at admission); absent when the join asked for none or it was refused (`holdProblem`): hold as usual. */
  hold?: { holdId: string; seats?: unknown[] };
}

/** Hold one ticket and confirm it; the answer says what the virtual user should do next. */
export async function holdAndConfirm(
  context: ScenarioContext,
  member: LoadMember,
  admission?: HeardAdmission,
): Promise<'booked' | 'next-member' | 'sold-out' | 'retry'> {
  const { show, stats } = context;
  // the join's answer carried the hold: straight to the confirm
  if (admission?.hold) return confirmHold(context, member, admission.hold);
  const headers: Record<string, string> = { 'x-forwarded-for': member.ip };
  if (context.idempotencyKeys) headers['idempotency-key'] = randomUUID();
  if (admission) headers['admission-token'] = admission.token;
  const sentAt = Date.now();
  const hold = await send(context, 'hold', `/api/shows/${show.id}/holds`, member, holdBody(show), headers);
  if (admission && hold.body?.code === 'ADMISSION.INVALID') stats.refusedAdmitted(sentAt < admission.leaseEndsAt);
  if (hold.status === 201) return confirmHold(context, member, hold.body);
  if (isSoldOut(hold, show)) return 'sold-out';
  if (hold.body?.code === 'BOOKING.LIMIT_EXCEEDED' || hold.status === 403) return 'next-member';
  if (unanswered(hold) || hold.status === 429) await sleep(retryAfterMs(hold, 50));
  return 'retry';
}

/** Confirms a hold; booked, or what the virtual user should do next. */
async function confirmHold(
  context: ScenarioContext,
  member: LoadMember,
  hold: { holdId: string; seats?: unknown[] },
): Promise<'booked' | 'next-member' | 'retry'> {
  const headers: Record<string, string> = { 'x-forwarded-for': member.ip };
  if (context.idempotencyKeys) headers['idempotency-key'] = randomUUID();
  const confirm = await send(context, 'confirm', `/api/holds/${hold.holdId}/confirm`, member, undefined, headers);
  if (confirm.status === 201) {
    const seats: string[] = (confirm.body?.seats ?? hold.seats ?? []).map(String);
    context.stats.booked(seats, Number(confirm.body?.quantity ?? seats.length));
    return 'booked';
  }
  return unanswered(confirm) ? 'retry' : 'next-member';
}

/**
 * A POST, sent again as it was (same Idempotency-Key, same body) when it got no answer or a 5xx, up
 * to twice, as a careful client does: the key makes the repeat safe if the first one went through.
 * Without keys a repeat could book twice, so it is sent once.
 */
async function send(
  context: ScenarioContext,
  label: string,
  path: string,
  member: LoadMember,
  body: unknown,
  headers: Record<string, string>,
): Promise<Answer> {
  const request = () => context.client.request(label, 'POST', path, { token: member.accessToken, body, headers });
  let answer = await request();
  for (let repeat = 0; repeat < 2 && context.idempotencyKeys && unanswered(answer) && performance.now() < context.deadline; repeat++) {
    await sleep(retryAfterMs(answer, 50));
    answer = await request();
  }
  return answer;
}

const unanswered = (answer: Answer) => answer.status === 0 || answer.status >= 500;

export function retryAfterMs(answer: Answer, fallback: number): number {
  const seconds = Number(answer.headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallback;
}

/** Runs `count` virtual users at once and waits for all of them. */
export async function runVirtualUsers(count: number, user: (index: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, index) => user(index)));
}
