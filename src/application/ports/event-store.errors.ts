import { DomainError } from '../../domain/shared/domain-error.js';
import type { StreamState } from './event-store.js';

/** The stream was not at the expected version; `actual` is its version now (0: no stream). */
export class WrongExpectedVersion extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: StreamState,
    readonly actual: number,
  ) {
    super('conflict', 'EVENT_STORE.WRONG_EXPECTED_VERSION', `Stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
  }
}

export class ClaimTaken extends DomainError {
  constructor(
    readonly scope: string,
    readonly value: string,
  ) {
    super('conflict', 'EVENT_STORE.CLAIM_TAKEN', `The ${scope} is already taken`);
  }
}

/** Event ids were sent again with different content, or only some of them were written before. */
export class IdempotencyMismatch extends DomainError {
  constructor(readonly eventIds: string[]) {
    super('conflict', 'EVENT_STORE.IDEMPOTENCY_MISMATCH', 'These event ids were already used for other events');
  }
}
