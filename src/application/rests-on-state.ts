import { DomainError } from '../domain/shared/domain-error.js';

/** A refusal that rests on state another process may have changed (a malformed request does not). */
export function restsOnState(error: unknown): boolean {
  return error instanceof DomainError && error.kind !== 'validation';
}
