import { endLease, join, status, type JoinAt } from './member-place.rules.js';
import { newQueue, type QueueState } from './queue.state.js';
import type { AdmitLimits, AdmitPace, AdmitResult, LeasePolicy, MemberPlace } from './waiting-room.types.js';

/** At most this many skipped places (leavers) are walked past in one admit step. */
const MAX_SKIPS = 10_000;

/** How long an admission lasts before its member is seen: the first lease, never longer than a full one. */
export function firstLeaseMs(lease: LeasePolicy): number {
  return Math.min(lease.firstLeaseMs ?? lease.leaseMs, lease.leaseMs);
}

/** The most one admit step lets through: five seconds' worth, at least one. */
export function maxBatch(admitPerSecond: number): number {
  return Math.max(1, Math.ceil(admitPerSecond * 5));
}

/**
 * Expires silent leases, refills the token bucket (burst: one second's worth), then admits
 * min(tokens, room, maxBatch) members in ticket order, skipping leavers; the batch goes to the outbox.
 * A new lease is a first lease: a renewal (the member seen) makes it a full one.
 */
export function admit(q: QueueState | undefined, now: number, limits: AdmitLimits): AdmitResult {
  if (!q || q.phase !== 'open') {
    return { phase: q?.phase ?? 'absent', admitted: [], expired: 0, active: q?.leases.size ?? 0, waiting: q?.tickets.size ?? 0 };
  }
  const expired = [...q.leases].filter(([, expiry]) => expiry <= now).map(([memberId]) => memberId);
  for (const memberId of expired) endLease(q, memberId);
  q.abandonedTotal += expired.length;
  if (now > q.refillAt)
    q.tokens = Math.min(Math.max(1, limits.admitPerSecond), q.tokens + ((now - q.refillAt) * limits.admitPerSecond) / 1000);
  else now = Math.max(now, q.refillAt);
  const want = Math.min(Math.floor(q.tokens), limits.maxActive - q.leases.size, maxBatch(limits.admitPerSecond));
  const admitted: AdmitResult['admitted'] = [];
  let skips = 0;
  while (admitted.length < want && q.served < q.next && skips < MAX_SKIPS) {
    const memberId = q.owners.get(++q.served);
    if (memberId === undefined) {
      q.left.delete(q.served);
      skips++;
      continue;
    }
    q.owners.delete(q.served);
    q.tickets.delete(memberId);
    const joined = q.joined.get(memberId);
    admitted.push({ memberId, joinedAt: joined?.at ?? 0, aheadAtJoin: joined?.ahead ?? 0 });
    q.joined.delete(memberId);
    q.leases.set(memberId, now + firstLeaseMs(limits));
    q.admittedAt.set(memberId, now);
  }
  Object.assign(q, { tokens: q.tokens - admitted.length, refillAt: now });
  if (admitted.length) {
    q.admittedTotal += admitted.length;
    q.outbox.push({ seq: ++q.batch, admittedAt: now, memberIds: admitted.map((a) => a.memberId) });
  }
  return { phase: 'open', admitted, expired: expired.length, active: q.leases.size, waiting: q.tickets.size };
}

/** One join of a step: the member and its instants. */
export interface Joining {
  memberId: string;
  at: JoinAt;
}

/**
 * The joins of one step, in their order; then, with `pace`, when the first of them to take a new
 * ticket found nobody waiting ahead, the admit step at once (within rate and room, in ticket order:
 * only this step's joiners are in line) instead of at the admitter's next tick. An admitted joiner
 * is answered now, which is being seen: its first lease is renewed to a full one; a joiner left
 * waiting is told where it stands after the step. The step's instant is its latest join's `now`.
 */
export function joinAll(
  q: QueueState | undefined,
  joins: Joining[],
  lease: LeasePolicy,
  pace?: AdmitPace,
): { queue: QueueState | undefined; places: MemberPlace[] } {
  let queue = q;
  let lineWasEmpty: boolean | undefined;
  const places = joins.map(({ memberId, at }) => {
    const before = queue?.next;
    const joined = join(queue, memberId, at, lease);
    queue = joined.queue;
    const { place } = joined;
    // the first new ticket of the step tells whether anyone waited before it
    if (lineWasEmpty === undefined && place.state === 'waiting' && !place.preQueue && queue.next !== before)
      lineWasEmpty = place.ahead === 0;
    return place;
  });
  const line = queue;
  if (!pace || !lineWasEmpty || !line) return { queue: line, places };
  const now = Math.max(...joins.map((j) => j.at.now));
  admit(line, now, { ...lease, ...pace });
  // each waiting joiner is answered as a look-up would answer it now: admitted (the look-up renews
  // the first lease to a full one) or where it stands after the step
  const placeNow = (place: MemberPlace, i: number) =>
    place.state === 'waiting' && !place.preQueue ? status(line, joins[i]!.memberId, now, lease) : place;
  return { queue: line, places: places.map(placeNow) };
}

/** Stops admitting (sold out, sales closed); places are kept. A queue nobody joined is created closed. */
export function close(q: QueueState | undefined, reason: string, now: number): QueueState {
  const queue = q ?? newQueue('closed', now);
  if (queue.phase === 'closed' && queue.reason === reason) return queue;
  return Object.assign(queue, { phase: 'closed', reason, closedAt: now });
}

/** Undoes a `sold_out` close at least `quietMs` old (tickets came back); places are kept. */
export function reopen(q: QueueState | undefined, now: number, quietMs: number): boolean {
  if (!q || q.phase !== 'closed' || q.reason !== 'sold_out' || now - q.closedAt < quietMs) return false;
  Object.assign(q, { phase: 'open', reason: undefined, tokens: 0, refillAt: now });
  return true;
}

/** Drops outbox batches up to `seq`; returns how many members this call acknowledged (each is counted once). */
/**
 * After a failover rolled the batch counter back, a number already in the record was handed out
 * again: the outbox's batches from `head` on are numbered anew above `recorded` (the highest number
 * in the record). Nothing happens when `head` is no longer in the outbox or above `recorded`
 * (another process did it first). Returns how many batches were renumbered.
 */
export function renumberBatches(q: QueueState | undefined, head: number, recorded: number): number {
  const from = q ? q.outbox.findIndex((batch) => batch.seq === head) : -1;
  if (!q || from < 0 || head > recorded) return 0;
  q.batch = Math.max(q.batch, recorded);
  for (let i = from; i < q.outbox.length; i++) q.outbox[i] = { ...q.outbox[i]!, seq: ++q.batch };
  return q.outbox.length - from;
}

export function acknowledge(q: QueueState | undefined, seq: number): number {
  if (!q) return 0;
  const acked = q.outbox.filter((batch) => batch.seq <= seq);
  q.outbox = q.outbox.filter((batch) => batch.seq > seq);
  return acked.reduce((sum, batch) => sum + batch.memberIds.length, 0);
}
