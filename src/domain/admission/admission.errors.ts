import { DomainError } from '../shared/domain-error.js';

export class AdmissionRequired extends DomainError {
  constructor() {
    super(
      'forbidden',
      'ADMISSION.REQUIRED',
      'This show sells through its waiting room: join the queue and send the Admission-Token header',
    );
  }
}

export class AdmissionInvalid extends DomainError {
  constructor(reason: string) {
    super('forbidden', 'ADMISSION.INVALID', `The admission token is not valid: ${reason}`);
  }
}

/** The queue store is unreachable: we fail closed (503) and say when to try again. */
export class QueueUnavailable extends DomainError {
  constructor(cause?: string) {
    super('unavailable', 'ADMISSION.UNAVAILABLE', 'The waiting room is briefly unavailable; try again shortly', undefined, 5);
    if (cause) this.cause = cause;
  }
}

export class QueueNotEnabled extends DomainError {
  constructor(showId: string) {
    super('conflict', 'ADMISSION.QUEUE_DISABLED', `Show ${showId} sells without a waiting room: book directly`);
  }
}

export class ShowNotOnSale extends DomainError {
  constructor(showId: string) {
    super('not_found', 'ADMISSION.SHOW_NOT_FOUND', `No sale for show ${showId}`);
  }
}

export class NotInQueue extends DomainError {
  constructor() {
    super('not_found', 'ADMISSION.NOT_IN_QUEUE', 'You are not in this queue: join it first');
  }
}

export class JoinRateLimited extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 'ADMISSION.TOO_MANY_JOINS', 'Too many attempts to join; wait a moment', undefined, retryAfterSeconds);
  }
}
