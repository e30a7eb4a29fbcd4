import { phaseAt } from './queue-phase.js';
import { freeze } from './queue-draw.rules.js';
import { newQueue, type QueueState } from './queue.state.js';
import type { AdmissionLease, LeasePolicy, MemberPlace } from './waiting-room.types.js';

/**
 * The waiting room's rules for one member's place. Functions over a QueueState that update it in
 * place (a queue holds up to millions of members: copying it per step would cost O(n)); no clock,
 * no I/O: times come in as arguments.
 */

/** Where a joiner arrives: `receivedAt` (the store's clock) decides the phase, `now` everything else. */
export interface JoinAt {
  now: number;
  receivedAt: number;
  salesOpenAt: number;
}

/** Takes a place, or returns the one already held. The first join at or after the opening freezes the draw. */
export function join(
  q: QueueState | undefined,
  memberId: string,
  at: JoinAt,
  lease: LeasePolicy,
): { queue: QueueState; place: MemberPlace } {
  const phase = phaseAt(q?.phase, at.receivedAt, at.salesOpenAt);
  const queue = q ?? newQueue(phase, at.now);
  if (queue.phase === 'prequeue' && phase === 'drawing') freeze(queue);
  return { queue, place: joinPlace(queue, memberId, at.now, lease) };
}

function joinPlace(q: QueueState, memberId: string, now: number, lease: LeasePolicy): MemberPlace {
  if (q.phase === 'closed') return closed(q);
  const expiry = renew(q, memberId, now, lease);
  if (expiry) return { state: 'admitted', leaseExpiresAt: expiry };
  const held = q.tickets.get(memberId);
  if (held !== undefined) return waiting(q, held);
  if (q.phase === 'prequeue') {
    q.pre.push(memberId);
    q.tickets.set(memberId, 0);
    return waiting(q, 0);
  }
  const ticket = ++q.next;
  q.tickets.set(memberId, ticket);
  q.owners.set(ticket, memberId);
  const place = waiting(q, ticket);
  q.joined.set(memberId, { at: now, ahead: place.state === 'waiting' ? (place.ahead ?? 0) : 0 });
  return place;
}

/** Where the member stands; asking renews an admitted member's lease. */
export function status(q: QueueState | undefined, memberId: string, now: number, lease: LeasePolicy): MemberPlace {
  if (!q) return { state: 'absent' };
  if (q.phase === 'closed') return closed(q);
  const expiry = renew(q, memberId, now, lease);
  if (expiry) return { state: 'admitted', leaseExpiresAt: expiry };
  const ticket = q.tickets.get(memberId);
  return ticket === undefined ? { state: 'absent' } : waiting(q, ticket);
}

/** Renews a live lease (capped by the session limit); an expired one is dropped and counted as abandoned. */
export function renew(q: QueueState, memberId: string, now: number, lease: LeasePolicy): number | false {
  const current = q.leases.get(memberId);
  if (current === undefined) return false;
  if (current <= now) {
    endLease(q, memberId);
    q.abandonedTotal++;
    return false;
  }
  const expiry = Math.max(current, Math.min(now + lease.leaseMs, (q.admittedAt.get(memberId) ?? now) + lease.maxSessionMs));
  q.leases.set(memberId, expiry);
  return expiry;
}

/** Renews the member's live lease (none on a closed show) and names the admission it belongs to. */
export function renewAdmission(q: QueueState | undefined, memberId: string, now: number, lease: LeasePolicy): AdmissionLease | undefined {
  if (!q || q.phase === 'closed') return undefined;
  const expiresAt = renew(q, memberId, now, lease);
  if (expiresAt === false) return undefined;
  return { expiresAt, admittedAt: q.admittedAt.get(memberId) ?? 0 };
}

/**
 * Ends the member's lease only while it is still the admission made at `admittedAt`: a hold made
 * under an earlier admission, ending, must not turn away the member admitted again since.
 */
export function releaseAdmission(q: QueueState | undefined, memberId: string, admittedAt: number): boolean {
  if (!q || !q.leases.has(memberId) || q.admittedAt.get(memberId) !== admittedAt) return false;
  endLease(q, memberId);
  return true;
}

/** Ends the member's lease; with `leaveLine`, gives up a waiting place too. False when there was neither. */
export function leave(q: QueueState | undefined, memberId: string, leaveLine: boolean): boolean {
  if (!q) return false;
  if (q.leases.has(memberId)) {
    endLease(q, memberId);
    return true;
  }
  const ticket = q.tickets.get(memberId);
  if (!leaveLine || ticket === undefined) return false;
  q.tickets.delete(memberId);
  q.joined.delete(memberId);
  if (ticket > 0) {
    q.owners.delete(ticket);
    if (ticket > q.served) q.left.add(ticket);
  }
  return true;
}

export function endLease(q: QueueState, memberId: string): void {
  q.leases.delete(memberId);
  q.admittedAt.delete(memberId);
}

export function closed(q: QueueState): MemberPlace {
  return { state: 'closed', reason: q.reason ?? 'closed' };
}

/** ahead = ticket − served − 1 − leavers between. */
export function waiting(q: QueueState, ticket: number): MemberPlace {
  if (ticket === 0) return { state: 'waiting', preQueue: true, ticket: 0, ahead: null };
  let gone = 0;
  for (const t of q.left) if (t > q.served && t < ticket) gone++;
  return { state: 'waiting', preQueue: false, ticket, ahead: ticket - q.served - 1 - gone };
}
