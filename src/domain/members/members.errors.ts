import { DomainError } from '../shared/domain-error.js';

export class EmailTaken extends DomainError {
  constructor() {
    super('conflict', 'MEMBER.EMAIL_TAKEN', 'A member with this e-mail address already exists');
  }
}

export class MemberAlreadyExists extends DomainError {
  constructor(memberId: string) {
    super('conflict', 'MEMBER.ALREADY_EXISTS', `Member ${memberId} already exists`);
  }
}

/** No such member, or the member has withdrawn. */
export class MemberNotFound extends DomainError {
  constructor() {
    super('not_found', 'MEMBER.NOT_FOUND', 'No such member');
  }
}

/** One message for an unknown address and a wrong password, so neither can be told apart. */
export class InvalidCredentials extends DomainError {
  constructor() {
    super('unauthenticated', 'AUTH.INVALID_CREDENTIALS', 'The e-mail address or the password is wrong');
  }
}

export class CurrentPasswordWrong extends DomainError {
  constructor() {
    super('unauthenticated', 'MEMBER.CURRENT_PASSWORD_WRONG', 'The current password is wrong');
  }
}

export class TooManyAttempts extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 'AUTH.TOO_MANY_ATTEMPTS', 'Too many failed attempts; try again later', undefined, retryAfterSeconds);
  }
}

export class TooManyShowRoles extends DomainError {
  constructor(max: number) {
    super(
      'conflict',
      'MEMBER.TOO_MANY_SHOW_ROLES',
      `A member may be staff of at most ${max} shows one by one; grant staff for every show instead`,
      { max },
    );
  }
}

/** A setup link that was not issued by this store's servers, has been used, or expired. */
export class SetupTokenRefused extends DomainError {
  constructor(reason: 'invalid' | 'expired' | 'used') {
    const why = { invalid: 'is not valid', expired: 'has expired (restart the server for a new one)', used: 'has been used' }[reason];
    super('forbidden', 'SETUP.TOKEN_REFUSED', `This setup link ${why}`, { reason });
  }
}

/** The store has an admin: setup links no longer work (an admin grants the role from then on). */
export class SetupDone extends DomainError {
  constructor() {
    super('conflict', 'SETUP.DONE', 'This store has an admin already: ask them, or use `onsale members grant-admin`');
  }
}
