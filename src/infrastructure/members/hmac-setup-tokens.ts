import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SetupTokenCheck, SetupTokens } from '../../application/ports/setup-tokens.js';

/** How long a printed setup link works; a restart prints a new one. */
export const SETUP_TOKEN_TTL_MS = 60 * 60_000;

const SHAPE = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * `<expiry, base 36>.<16 random bytes>.<HMAC-SHA256 of both>`, keyed by a key derived from the
 * server's signing secret (shared by every process on the store, never used as is).
 */
export class HmacSetupTokens implements SetupTokens {
  private readonly key: Buffer;

  constructor(
    secret: Uint8Array,
    private readonly ttlMs = SETUP_TOKEN_TTL_MS,
  ) {
    this.key = createHmac('sha256', secret).update('onsale admin setup link').digest();
  }

  issue(now: Date): { token: string; expiresAt: Date } {
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    const payload = `${Math.floor(expiresAt.getTime() / 1000).toString(36)}.${randomBytes(16).toString('base64url')}`;
    return { token: `${payload}.${this.sign(payload)}`, expiresAt };
  }

  check(token: string, now: Date): SetupTokenCheck {
    const match = SHAPE.exec(token);
    if (!match) return { valid: false, reason: 'invalid' };
    const [, expiry, nonce, signature] = match as unknown as [string, string, string, string];
    const expected = Buffer.from(this.sign(`${expiry}.${nonce}`), 'base64url');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'base64url'))) return { valid: false, reason: 'invalid' };
    if (parseInt(expiry, 36) * 1000 <= now.getTime()) return { valid: false, reason: 'expired' };
    return { valid: true, nonce };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload, 'ascii').digest('base64url');
  }
}
