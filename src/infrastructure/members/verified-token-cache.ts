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
  private readonly entries = new Map<string, VerifiedClaims>();

  constructor(private readonly capacity = 100_000) {}

  get(token: string, nowSeconds: number): VerifiedClaims | undefined {
    const claims = this.entries.get(token);
    if (claims && claims.exp <= nowSeconds) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: VerifiedClaims): void {
    this.entries.set(token, claims);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
