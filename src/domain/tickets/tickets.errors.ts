import { DomainError } from '../shared/domain-error.js';

export class TicketCodeMalformed extends DomainError {
  constructor() {
    super('validation', 'TICKET.MALFORMED', 'This is not a ticket code');
  }
}

/** The signature does not verify: the code was altered or made up. */
export class TicketForged extends DomainError {
  constructor() {
    super('validation', 'TICKET.FORGED', 'The ticket code’s signature is not valid');
  }
}

export class TicketKeyUnknown extends DomainError {
  constructor(kid: string) {
    super('validation', 'TICKET.UNKNOWN_KEY', `No ticket key ${kid} was ever published`, { kid });
  }
}

/** Signed with a key that has been retired: the owner's ticket page shows a fresh code. */
export class TicketKeyRetired extends DomainError {
  constructor(kid: string) {
    super('conflict', 'TICKET.KEY_RETIRED', `The ticket was signed with key ${kid}, which is retired; open the ticket again`, { kid });
  }
}

export class TicketNotFound extends DomainError {
  constructor(ticketId: string) {
    super('not_found', 'TICKET.NOT_FOUND', `There is no ticket ${ticketId}`, { ticketId });
  }
}

/** The reservation was cancelled: its tickets are revoked. */
export class TicketRevoked extends DomainError {
  constructor(ticketId: string) {
    super('conflict', 'TICKET.REVOKED', `Ticket ${ticketId} was revoked (its reservation was cancelled)`, { ticketId });
  }
}

export class TicketForOtherShow extends DomainError {
  constructor(ticketShowId: string, doorShowId: string) {
    super('conflict', 'TICKET.WRONG_SHOW', `This ticket is for show ${ticketShowId}, not ${doorShowId}`, { ticketShowId, doorShowId });
  }
}

export class TicketAlreadyUsed extends DomainError {
  constructor(ticketId: string, checkedInAt: string, gate: string) {
    super('conflict', 'TICKET.ALREADY_USED', `Ticket ${ticketId} was checked in at ${checkedInAt} at gate ${gate}`, {
      ticketId,
      checkedInAt,
      gate,
    });
  }
}

/** Not door staff of the ticket's show (`showId`), or of any show. */
export class NotStaffOfShow extends DomainError {
  constructor(showId?: string) {
    super(
      'forbidden',
      'CHECKIN.NOT_STAFF',
      showId ? `Checking in tickets of show ${showId} needs the staff role for it` : 'Checking in tickets needs the staff role',
      showId ? { showId } : undefined,
    );
  }
}

/** An offline scan sent more than a day after it was made: too late to record as it happened. */
export class CheckInScanTooOld extends DomainError {
  constructor(scannedAt: string, maxAgeHours: number) {
    super('validation', 'CHECKIN.SCAN_TOO_OLD', `A scan from ${scannedAt} is older than ${maxAgeHours} hours; check the ticket in again`, {
      scannedAt,
    });
  }
}
