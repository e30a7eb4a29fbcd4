import { hash } from 'node:crypto';
import { DomainError, type ErrorKind } from '../../domain/shared/domain-error.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';

/** A request sent with an Idempotency-Key: who sent it, for what, with which content. */
export interface IdempotentRequest {
  /** e.g. `hold:<memberId>` — keys are private to a member and an operation. */
  scope: string;
  key?: string;
  /** Everything that makes the request what it is (target, body). */
  content: unknown;
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super('conflict', 'IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was used for a different request');
  }
}

interface StoredError {
  error: { kind: ErrorKind; code: string; message: string; details?: Record<string, unknown> };
}

/**
 * Runs `work` once per key: a retry gets the first answer again (a success, or the business rule
 * that refused it), and a key sent with different content is refused. Failures that may pass on
 * a retry (unavailable, rate limited, unknown) are not remembered.
 */
export async function idempotent<T>(store: IdempotencyStore, request: IdempotentRequest, work: () => Promise<T>): Promise<T> {
  if (!request.key) return work();
  const fingerprint = hash('sha256', JSON.stringify(request.content), 'base64url');
  const first = await store.recall(request.scope, request.key);
  if (first) {
    if (first.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
    const stored = first.body as StoredError;
    if (first.status === 0) throw new DomainError(stored.error.kind, stored.error.code, stored.error.message, stored.error.details);
    return first.body as T;
  }
  try {
    const answer = await work();
    await store.remember(request.scope, request.key, { fingerprint, status: 200, body: answer });
    return answer;
  } catch (error) {
    if (error instanceof DomainError && ['validation', 'not_found', 'conflict', 'forbidden'].includes(error.kind)) {
      const { kind, code, message, details } = error;
      await store.remember(request.scope, request.key, { fingerprint, status: 0, body: { error: { kind, code, message, details } } });
    }
    throw error;
  }
}

/** A short, stable id part derived from a key (hold ids, event ids). */
export function derivedKey(...parts: string[]): string {
  // crypto.hash: one call, no Hash object (under half the time of createHash for a short text)
  return hash('sha256', parts.join('\u0000'), 'hex').slice(0, 24);
}

/** A UUID-shaped id derived from a key, so that the event store's own idempotency backs ours up. */
export function derivedUuid(...parts: string[]): string {
  const hex = hash('sha256', parts.join('\u0000'), 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
