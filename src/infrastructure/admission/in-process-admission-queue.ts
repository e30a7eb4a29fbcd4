import type {
  AdmissionBatch,
  AdmissionQueue,
  AdmitLimits,
  AdmitResult,
  LeasePolicy,
  MemberPlace,
  QueuePhase,
  QueueStats,
} from '../../application/ports/admission-queue.js';

interface ShowQueue {
  phase: QueuePhase;
  reason?: string;
  closedAt: number;
  next: number;
  served: number;
  tokens: number;
  refillAt: number;
  batch: number;
  admittedTotal: number;
  abandonedTotal: number;
  tickets: Map<string, number>;
  owners: Map<number, string>;
  pre: string[];
  left: Set<number>;
  leases: Map<string, number>;
  joined: Map<string, { at: number; ahead: number }>;
  admittedAt: Map<string, number>;
  outbox: AdmissionBatch[];
}

/**
 * The embedded mode's queue: the same rules as the Redis scripts, in one process's memory.
 * Only correct when a single process serves the show (no WORKERS); the leaver count is a scan here.
 */
export class InProcessAdmissionQueue implements AdmissionQueue {
  private readonly queues = new Map<string, ShowQueue>();
  private readonly tracked = new Set<string>();

  async join(showId: string, memberId: string, now: number, initialPhase: 'prequeue' | 'open', lease: LeasePolicy): Promise<MemberPlace> {
    let q = this.queues.get(showId);
    if (!q) {
      q = emptyQueue(initialPhase, now);
      this.queues.set(showId, q);
    }
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

  async status(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<MemberPlace> {
    const q = this.queues.get(showId);
    if (!q) return { state: 'absent' };
    if (q.phase === 'closed') return closed(q);
    const expiry = renew(q, memberId, now, lease);
    if (expiry) return { state: 'admitted', leaseExpiresAt: expiry };
    const ticket = q.tickets.get(memberId);
    return ticket === undefined ? { state: 'absent' } : waiting(q, ticket);
  }

  async statuses(showId: string, memberIds: string[], now: number, lease: LeasePolicy): Promise<MemberPlace[]> {
    return Promise.all(memberIds.map((memberId) => this.status(showId, memberId, now, lease)));
  }

  async renew(showId: string, memberId: string, now: number, lease: LeasePolicy): Promise<number | undefined> {
    const q = this.queues.get(showId);
    if (!q || q.phase === 'closed') return undefined;
    return renew(q, memberId, now, lease) || undefined;
  }

  async leave(showId: string, memberId: string): Promise<boolean> {
    return this.drop(showId, memberId, true);
  }

  async release(showId: string, memberId: string): Promise<boolean> {
    return this.drop(showId, memberId, false);
  }

  async freeze(showId: string): Promise<string[] | undefined> {
    const q = this.queues.get(showId);
    if (!q || (q.phase !== 'prequeue' && q.phase !== 'drawing')) return undefined;
    const list = [...new Set(q.pre)];
    if (q.phase === 'prequeue') {
      q.phase = 'drawing';
      q.next = list.length;
    }
    return list;
  }

  async applyDraw(showId: string, order: string[], now: number): Promise<void> {
    const q = this.queues.get(showId);
    if (!q || q.phase !== 'drawing') return;
    order.forEach((memberId, index) => {
      const ticket = index + 1;
      const current = q.tickets.get(memberId);
      if (current === 0) {
        q.tickets.set(memberId, ticket);
        q.owners.set(ticket, memberId);
        q.joined.set(memberId, { at: now, ahead: ticket - 1 });
      } else if (current !== ticket) {
        q.left.add(ticket);
      }
    });
    Object.assign(q, { phase: 'open', tokens: 0, refillAt: now, pre: [] });
  }

  async admit(showId: string, now: number, limits: AdmitLimits): Promise<AdmitResult> {
    const q = this.queues.get(showId);
    if (!q || q.phase !== 'open') {
      return { phase: q?.phase ?? 'absent', admitted: [], expired: 0, active: q?.leases.size ?? 0, waiting: q?.tickets.size ?? 0 };
    }
    const expired = [...q.leases].filter(([, expiry]) => expiry <= now).map(([memberId]) => memberId);
    for (const memberId of expired) this.endLease(q, memberId);
    q.abandonedTotal += expired.length;
    if (now > q.refillAt)
      q.tokens = Math.min(Math.max(1, limits.admitPerSecond), q.tokens + ((now - q.refillAt) * limits.admitPerSecond) / 1000);
    else now = Math.max(now, q.refillAt);
    const maxBatch = Math.max(1, Math.ceil(limits.admitPerSecond * 5));
    const want = Math.min(Math.floor(q.tokens), limits.maxActive - q.leases.size, maxBatch);
    const admitted: AdmitResult['admitted'] = [];
    let skips = 0;
    while (admitted.length < want && q.served < q.next && skips < 10_000) {
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
      q.leases.set(memberId, now + limits.leaseMs);
      q.admittedAt.set(memberId, now);
    }
    Object.assign(q, { tokens: q.tokens - admitted.length, refillAt: now });
    if (admitted.length) {
      q.admittedTotal += admitted.length;
      q.outbox.push({ seq: ++q.batch, admittedAt: now, memberIds: admitted.map((a) => a.memberId) });
    }
    return { phase: 'open', admitted, expired: expired.length, active: q.leases.size, waiting: q.tickets.size };
  }

  async close(showId: string, reason: string, now: number): Promise<void> {
    const q = this.queues.get(showId) ?? emptyQueue('closed', now);
    if (q.phase === 'closed' && q.reason === reason) return;
    this.queues.set(showId, Object.assign(q, { phase: 'closed', reason, closedAt: now }));
  }

  async reopen(showId: string, now: number, quietMs: number): Promise<boolean> {
    const q = this.queues.get(showId);
    if (!q || q.phase !== 'closed' || q.reason !== 'sold_out' || now - q.closedAt < quietMs) return false;
    Object.assign(q, { phase: 'open', reason: undefined, tokens: 0, refillAt: now });
    return true;
  }

  async pendingBatches(showId: string, limit: number): Promise<AdmissionBatch[]> {
    return (this.queues.get(showId)?.outbox ?? []).slice(0, limit);
  }

  async ackBatches(showId: string, seq: number): Promise<void> {
    const q = this.queues.get(showId);
    if (q) q.outbox = q.outbox.filter((batch) => batch.seq > seq);
  }

  async stats(showId: string): Promise<QueueStats> {
    const q = this.queues.get(showId);
    if (!q) return { phase: 'absent', waiting: 0, active: 0, admittedTotal: 0, abandonedTotal: 0 };
    return {
      phase: q.phase,
      waiting: q.tickets.size,
      active: q.leases.size,
      admittedTotal: q.admittedTotal,
      abandonedTotal: q.abandonedTotal,
    };
  }

  async shows(): Promise<string[]> {
    return [...this.tracked];
  }

  async track(showId: string): Promise<void> {
    this.tracked.add(showId);
  }

  async untrack(showId: string): Promise<void> {
    this.tracked.delete(showId);
  }

  private drop(showId: string, memberId: string, leaveLine: boolean): boolean {
    const q = this.queues.get(showId);
    if (!q) return false;
    if (q.leases.has(memberId)) {
      this.endLease(q, memberId);
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

  private endLease(q: ShowQueue, memberId: string): void {
    q.leases.delete(memberId);
    q.admittedAt.delete(memberId);
  }
}

function emptyQueue(phase: QueuePhase, now: number): ShowQueue {
  return {
    phase,
    closedAt: 0,
    next: 0,
    served: 0,
    tokens: 0,
    refillAt: now,
    batch: 0,
    admittedTotal: 0,
    abandonedTotal: 0,
    tickets: new Map(),
    owners: new Map(),
    pre: [],
    left: new Set(),
    leases: new Map(),
    joined: new Map(),
    admittedAt: new Map(),
    outbox: [],
  };
}

function closed(q: ShowQueue): MemberPlace {
  return { state: 'closed', reason: q.reason ?? 'closed' };
}

function waiting(q: ShowQueue, ticket: number): MemberPlace {
  if (ticket === 0) return { state: 'waiting', preQueue: true, ticket: 0, ahead: null };
  let gone = 0;
  for (const t of q.left) if (t > q.served && t < ticket) gone++;
  return { state: 'waiting', preQueue: false, ticket, ahead: ticket - q.served - 1 - gone };
}

/** Renews a live lease (capped by the session limit); an expired one is dropped and counted as abandoned. */
function renew(q: ShowQueue, memberId: string, now: number, lease: LeasePolicy): number | false {
  const current = q.leases.get(memberId);
  if (current === undefined) return false;
  if (current <= now) {
    q.leases.delete(memberId);
    q.admittedAt.delete(memberId);
    q.abandonedTotal++;
    return false;
  }
  const expiry = Math.max(current, Math.min(now + lease.leaseMs, (q.admittedAt.get(memberId) ?? now) + lease.maxSessionMs));
  q.leases.set(memberId, expiry);
  return expiry;
}
