import { DomainError } from '../../domain/shared/domain-error.js';
import { classifyDatabaseFailure, type DatabaseFailureKind } from '../database/database-failure.js';
import { countDatabaseFailure } from '../database/database-failure.metrics.js';

/** Seconds a client is asked to wait per kind: about how long such a fault takes to clear, or to fail over. */
export const RETRY_AFTER_SECONDS: Record<DatabaseFailureKind, number> = {
  down: 2,
  stalled: 2,
  read_only: 5,
  too_many_connections: 1,
  contention: 1,
  not_ready: 2,
  outcome_unknown: 1,
};

const DETAIL: Record<DatabaseFailureKind, string> = {
  down: 'The database is not reachable; try again shortly',
  stalled: 'The database did not answer in time; try again shortly',
  read_only: 'The database accepts no writes at the moment; try again shortly',
  too_many_connections: 'The database has no connection free; try again shortly',
  contention: 'The database is too busy with conflicting writes; try again shortly',
  not_ready: 'The database node is not ready; try again shortly',
  outcome_unknown:
    'The database went away while this request was being committed; retry with the same Idempotency-Key to learn its outcome',
};

/** A database fault as the 503 `STORE.UNAVAILABLE` it is answered with (counted), or undefined when it is no database fault. */
export function storeUnavailable(error: unknown): DomainError | undefined {
  const kind = classifyDatabaseFailure(error);
  if (!kind) return undefined;
  countDatabaseFailure(kind, 'request');
  return new DomainError('unavailable', 'STORE.UNAVAILABLE', DETAIL[kind], { reason: kind }, RETRY_AFTER_SECONDS[kind]);
}
