import { DomainError } from '../shared/domain-error.js';

export class NotSoldOut extends DomainError {
  constructor(available: number) {
    super('conflict', 'WAITLIST.NOT_SOLD_OUT', `This show is not sold out: ${available} ticket(s) are on sale`, { available });
  }
}

export class AlreadyJoined extends DomainError {
  constructor() {
    super('conflict', 'WAITLIST.ALREADY_JOINED', 'You are already on the waiting list for this show');
  }
}

export class NotOnWaitlist extends DomainError {
  constructor() {
    super('not_found', 'WAITLIST.NOT_JOINED', 'You are not on the waiting list for this show');
  }
}

/** Leaving with an offer open: decline it (or confirm it) first. */
export class OfferOpen extends DomainError {
  constructor(holdId: string) {
    super('conflict', 'WAITLIST.OFFER_OPEN', 'You have an offer open: confirm or decline it first', { holdId });
  }
}

export class NoOffer extends DomainError {
  constructor() {
    super('not_found', 'WAITLIST.NO_OFFER', 'You have no open offer for this show');
  }
}

export class InvalidWaitlistQuantity extends DomainError {
  constructor(max: number) {
    super('validation', 'WAITLIST.INVALID_QUANTITY', `quantity: a whole number from 1 to ${max}`, { field: 'quantity', max });
  }
}

/** An ordinary hold while members wait: seats that come back go to the waiting list first. */
export class MembersWaiting extends DomainError {
  constructor(waiting: number) {
    super('conflict', 'WAITLIST.MEMBERS_WAITING', 'Seats that come back go to the waiting list first: join it', { waiting });
  }
}
