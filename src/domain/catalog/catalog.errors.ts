import { DomainError } from '../shared/domain-error.js';

export class ShowNotFound extends DomainError {
  constructor(showId: string) {
    super('not_found', 'CATALOG.SHOW_NOT_FOUND', `There is no show ${showId}`);
  }
}

export class ShowAlreadyScheduled extends DomainError {
  constructor(showId: string) {
    super('conflict', 'CATALOG.SHOW_EXISTS', `Show ${showId} is already scheduled`);
  }
}

/** Dates out of order, duplicate sections and the like. */
export class InvalidShow extends DomainError {
  constructor(message: string, field?: string) {
    super('validation', 'CATALOG.INVALID_SHOW', message, field === undefined ? undefined : { field });
  }
}

/** A change that would break promises made to buyers once sales have opened. */
export class UnsafeChange extends DomainError {
  constructor(field: string, reason: string) {
    super('conflict', 'CATALOG.UNSAFE_CHANGE', `${field} cannot change now: ${reason}`, { field });
  }
}

/** A run-the-sale control that does not apply to the sale as it stands (closing before opening, pausing no waiting room). */
export class SaleControlRefused extends DomainError {
  constructor(action: string, reason: string) {
    super('conflict', 'CATALOG.SALE_CONTROL_REFUSED', `${action}: ${reason}`, { action });
  }
}
