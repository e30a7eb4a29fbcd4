/** Slow, salted password hashing (scrypt), run off the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** With no hash (unknown address), checks against a dummy of equal cost and returns false. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

/**
 * Per-member keys for the personal data inside events (crypto-shredding): once a member's key is
 * destroyed, what was sealed with it can never be read again.
 */
export interface PersonalDataVault {
  createKey(memberId: string): Promise<void>;
  seal(memberId: string, data: Record<string, unknown>): Promise<string>;
  /** The sealed data, or undefined when the member's key has been destroyed. */
  open(memberId: string, sealed: string): Promise<Record<string, unknown> | undefined>;
  destroyKey(memberId: string): Promise<void>;
}

/** A member as the read model knows them. */
export interface MemberAccount {
  memberId: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: string[];
  sessionEpoch: number;
  registeredAt: string;
}

/** Look-ups in the members read model (never used for uniqueness: it lags the log). */
export interface MemberDirectory {
  byEmail(email: string): Promise<MemberAccount | undefined>;
  byId(memberId: string): Promise<MemberAccount | undefined>;
  /** Whether any member has the admin role (the read model: a grant a moment old may be missing). */
  hasAdmin(): Promise<boolean>;
  /** The member's current session epoch (briefly cached), or undefined when there is no such member. */
  sessionEpoch(memberId: string): Promise<number | undefined>;
  /** Drops what this process cached about the member (after a password change or withdrawal). */
  forget(memberId: string): void;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

/** Signs access tokens carrying `sub`, `roles`, `exp` and the session epoch. */
export interface TokenIssuer {
  issue(member: { memberId: string; roles: string[]; sessionEpoch: number }): Promise<IssuedToken>;
}

/** The members read model's projection name. */
export const MEMBERS_PROJECTION = 'members';
