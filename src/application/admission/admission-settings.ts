import type { LeasePolicy } from '../ports/admission-queue.js';

/** How the waiting room behaves beyond each show's own `{admitPerSecond, maxActive}`. */
export interface AdmissionSettings {
  lease: LeasePolicy;
  /** Admission tokens are short-lived: each poll or SSE update hands out a fresh one. */
  tokenTtlSeconds: number;
  joinLimitPerIp: { limit: number; windowSeconds: number };
  joinLimitPerMember: { limit: number; windowSeconds: number };
  /** A show closed as sold out reopens only after this long with tickets back (read models lag). */
  reopenAfterMs: number;
  /** How often the admitter ticks each show. */
  tickMs: number;
  /** The queue watch's tick (long polls and event streams together: one glance at Redis per show and tick per process). */
  streamPollMs: number;
  /** Prefix of the Redis keys: `<prefix>:{show:<id>}:…` and `<prefix>:shows` (the admitter's list). */
  redisPrefix: string;
}

export const defaultAdmissionSettings: AdmissionSettings = {
  lease: { leaseMs: 20_000, firstLeaseMs: 6_000, maxSessionMs: 15 * 60_000 },
  tokenTtlSeconds: 120,
  joinLimitPerIp: { limit: 60, windowSeconds: 60 },
  joinLimitPerMember: { limit: 10, windowSeconds: 60 },
  reopenAfterMs: 5_000,
  tickMs: 200,
  streamPollMs: 250,
  redisPrefix: 'onsale:admission',
};
