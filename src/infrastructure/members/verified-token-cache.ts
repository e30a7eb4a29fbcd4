import { ExpiringMap } from '../expiring-map.js';

/** What a verified access token said; kept so that the same token is not verified again. */
export interface VerifiedClaims {
  sub: string;
  roles: string[];
  sep: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * Tokens whose signature, issuer and audience were already verified, so that a member polling the
 * waiting room pays for the HMAC once per token, not once per poll. Bounded: the oldest entry goes
 * first. Expiry and the session epoch are still checked on every request by the caller.
 */
export class VerifiedTokenCache {
  private readonly entries: ExpiringMap<VerifiedClaims>;

  constructor(capacity = 100_000) {
    this.entries = new ExpiringMap(capacity);
  }

  get(token: string, nowSeconds: number): VerifiedClaims | undefined {
    return this.entries.get(token, nowSeconds * 1000);
  }

  set(token: string, claims: VerifiedClaims): void {
    this.entries.set(token, claims, claims.exp * 1000);
  }
}
