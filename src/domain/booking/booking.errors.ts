import { DomainError } from '../shared/domain-error.js';

export class SeatsUnavailable extends DomainError {
  constructor(details: { seats: string[] } | { requested: number; available: number }) {
    const message =
      'seats' in details
        ? `These seats are not available: ${details.seats.join(', ')}`
        : `Only ${details.available} of the ${details.requested} tickets asked for are available`;
    super('conflict', 'BOOKING.SEATS_UNAVAILABLE', message, details);
  }
}

/** `together: "required"` and no row has the party's seats side by side. */
export class NotTogether extends DomainError {
  constructor(requested: number, biggestBlock: number) {
    super(
      'conflict',
      'BOOKING.NOT_TOGETHER',
      `No ${requested} seats together are left; the biggest block of adjacent seats is ${biggestBlock}`,
      { requested, biggestBlock },
    );
  }
}

/** No run of accessible seats has the wheelchair places and companion seats asked for. */
export class AccessibleUnavailable extends DomainError {
  constructor(wheelchair: number, companions: number) {
    super(
      'conflict',
      'BOOKING.SEATS_UNAVAILABLE',
      `No ${wheelchair} wheelchair place(s) with ${companions} companion seat(s) beside them are available`,
      { accessible: wheelchair, companions },
    );
  }
}

/** A hand-picked hold that would leave a single seat stranded, on a show whose orphan rule is `refuse`. */
export class OrphanSeat extends DomainError {
  constructor(seat: string, suggestion?: string[]) {
    const instead = suggestion ? `; ${suggestion.join(', ')} would not` : '';
    super('conflict', 'BOOKING.ORPHAN_SEAT', `These seats would leave ${seat} empty on its own${instead}`, {
      seat,
      ...(suggestion ? { suggestion } : {}),
    });
  }
}

export class LimitExceeded extends DomainError {
  constructor(limit: number, current: number, requested: number) {
    super(
      'conflict',
      'BOOKING.LIMIT_EXCEEDED',
      `At most ${limit} tickets per member: you have ${current} held or reserved and asked for ${requested}`,
      { limit, current, requested },
    );
  }
}

export class SalesClosed extends DomainError {
  constructor() {
    super('conflict', 'BOOKING.SALES_CLOSED', 'Sales for this show are not open');
  }
}

export class InvalidHoldRequest extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('validation', 'BOOKING.INVALID_REQUEST', message, details);
  }
}

/** Also for somebody else's hold: its existence is not revealed. */
export class HoldNotFound extends DomainError {
  constructor(holdId: string) {
    super('not_found', 'BOOKING.HOLD_NOT_FOUND', `There is no hold ${holdId}`);
  }
}

export class HoldHasExpired extends DomainError {
  constructor(holdId: string) {
    super('conflict', 'BOOKING.HOLD_EXPIRED', `Hold ${holdId} has expired; its seats are free again`);
  }
}

export class HoldNotActive extends DomainError {
  constructor(holdId: string, status: string) {
    super('conflict', `BOOKING.HOLD_${status.toUpperCase()}`, `Hold ${holdId} is ${status}`, { holdStatus: status });
  }
}

export class ReservationNotFound extends DomainError {
  constructor(reservationId: string) {
    super('not_found', 'BOOKING.RESERVATION_NOT_FOUND', `There is no reservation ${reservationId}`);
  }
}

export class ShowStarted extends DomainError {
  constructor() {
    super('conflict', 'BOOKING.SHOW_STARTED', 'The show has started; reservations can no longer be cancelled');
  }
}

/** A ticket of the reservation was admitted at the door: the reservation has been used. */
export class TicketsAlreadyUsed extends DomainError {
  constructor(reservationId: string, used: { ticketId: string; gate: string; checkedInAt: string }[]) {
    super(
      'conflict',
      'BOOKING.TICKETS_USED',
      `Reservation ${reservationId} cannot be cancelled: ${used.length} of its tickets were admitted at the door`,
      {
        checkedIn: used,
      },
    );
  }
}

/** The streams kept moving under every attempt (other processes writing them): try again later. */
export class BookingContended extends DomainError {
  constructor(attempts: number) {
    super('unavailable', 'BOOKING.BUSY', `The seats kept changing; gave up after ${attempts} attempts. Try again.`, undefined, 1);
  }
}
