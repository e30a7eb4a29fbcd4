import type { AdmissionBatch, QueuePhase } from './waiting-room.types.js';

/** One show's waiting room: what the Redis keys of a show hold (see redis-admission.lua.ts), as data. */
export interface QueueState {
  phase: QueuePhase;
  reason?: string;
  closedAt: number;
  /** The last ticket handed out (after the draw: the pre-queue took tickets 1…count). */
  next: number;
  /** Tickets up to here have been admitted or skipped. */
  served: number;
  tokens: number;
  refillAt: number;
  batch: number;
  admittedTotal: number;
  abandonedTotal: number;
  /** member → ticket (0 in the pre-queue) */
  tickets: Map<string, number>;
  /** ticket → member, for the tickets still waiting */
  owners: Map<number, string>;
  /** the pre-queue in join order, until the draw (a member who rejoined appears twice) */
  pre: string[];
  /** tickets given up ahead of `served` */
  left: Set<number>;
  /** admitted member → lease expiry */
  leases: Map<string, number>;
  /** waiting member → when they took their place and how many were ahead */
  joined: Map<string, { at: number; ahead: number }>;
  /** admitted member → admission time (the session cap counts from it) */
  admittedAt: Map<string, number>;
  outbox: AdmissionBatch[];
}

/** A queue as its first step finds it: `now` starts the token bucket. */
export function newQueue(phase: QueuePhase, now: number): QueueState {
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
