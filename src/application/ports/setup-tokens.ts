/** What a setup token turned out to be. `nonce` is what makes it single-use (claimed once in the event store). */
export type SetupTokenCheck = { valid: true; nonce: string } | { valid: false; reason: 'invalid' | 'expired' };

/**
 * One-time links that let the first admin sign up (`/setup?token=…`): signed by the server, so that
 * any process on the same store accepts a token another one printed; each expires.
 */
export interface SetupTokens {
  issue(now: Date): { token: string; expiresAt: Date };
  check(token: string, now: Date): SetupTokenCheck;
}
