import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SHA256_BYTES = 32;

/**
 * Verifies compact JWS tokens signed with HS256 (RFC 7515), synchronously on node:crypto: the
 * signature over `header.payload` in constant time, and a header that names HS256 and no critical
 * extension (so `none` and every other algorithm are refused, RFC 8725 §3.1). Returns the payload
 * as an object, or `undefined` for anything else. Claims (iss, aud, exp…) are the caller's to check.
 *
 * WebCrypto, which jose verifies with, answers through a promise and a crypto job; on an on-sale
 * burst every member's first request pays that: 13 times a bare HMAC, and 5 times this verifier with
 * the authenticator's claim checks (`npm run bench:tokens`).
 */
export class Hs256Verifier {
  private readonly key: KeyObject;

  constructor(secret: Uint8Array) {
    this.key = createSecretKey(secret);
  }

  verify(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    if (!BASE64URL.test(header) || !BASE64URL.test(payload) || !BASE64URL.test(signature)) return undefined;
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== SHA256_BYTES) return undefined;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`, 'ascii').digest();
    if (!timingSafeEqual(expected, given)) return undefined;
    const protectedHeader = jsonObject(header);
    if (protectedHeader?.alg !== 'HS256' || 'crit' in protectedHeader) return undefined;
    return jsonObject(payload);
  }
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
