import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Authenticator, Principal } from '../../application/ports/authenticator.js';
import type { IssuedToken, MemberDirectory, TokenIssuer } from '../../application/members/members.ports.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { VerifiedTokenCache, type VerifiedClaims } from './verified-token-cache.js';

type CryptoKey = webcrypto.CryptoKey;

const ISSUER = 'onsale';
const AUDIENCE = 'onsale-api';
/** Access tokens last an hour; there are no refresh tokens — the member logs in again. */
export const ACCESS_TOKEN_SECONDS = 3600;

interface AccessClaims {
  roles?: unknown;
  /** Session epoch: a password change moves the member's epoch on, and older tokens stop working. */
  sep?: unknown;
}

/**
 * The secret as a WebCrypto key, imported once: handed raw bytes, jose imports a key on every
 * sign and verify, which an on-sale burst of members not seen before pays on each first request.
 */
function hmacKey(secret: Uint8Array, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** Signs HS256 access tokens: `sub`, `roles`, `sep` (session epoch), `iat`, `exp`, `iss`, `aud`. */
export class JwtTokenIssuer implements TokenIssuer {
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds = ACCESS_TOKEN_SECONDS,
  ) {
    this.key = hmacKey(secret, 'sign');
  }

  async issue(member: { memberId: string; roles: string[]; sessionEpoch: number }): Promise<IssuedToken> {
    const accessToken = await new SignJWT({ roles: member.roles, sep: member.sessionEpoch })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(member.memberId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(await this.key);
    return { accessToken, expiresIn: this.ttlSeconds };
  }
}

/**
 * Verifies the signature (HS256 only), issuer, audience and expiry, then checks that the member
 * still exists and that the token's session epoch is current (read model, briefly cached).
 */
export class JwtAuthenticator implements Authenticator {
  private readonly verified = new VerifiedTokenCache();
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: Uint8Array,
    private readonly directory: MemberDirectory,
  ) {
    this.key = hmacKey(secret, 'verify');
  }

  async authenticate(bearerToken: string): Promise<Principal> {
    const now = Math.floor(Date.now() / 1000);
    let claims = this.verified.get(bearerToken, now);
    if (!claims) {
      claims = await this.verify(bearerToken);
      this.verified.set(bearerToken, claims);
    }
    const current = await this.directory.sessionEpoch(claims.sub);
    if (current === undefined || claims.sep < current) throw unauthenticated('AUTH.TOKEN_REVOKED', 'This session has ended; log in again');
    return { memberId: claims.sub, roles: claims.roles };
  }

  private async verify(bearerToken: string): Promise<VerifiedClaims> {
    let payload: AccessClaims & { sub?: string; exp?: number };
    try {
      ({ payload } = await jwtVerify<AccessClaims>(bearerToken, await this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('AUTH.TOKEN_EXPIRED', 'The access token has expired; log in again');
      throw unauthenticated('AUTH.TOKEN_INVALID', 'The access token is not valid');
    }
    const { sub, roles, sep, exp } = payload;
    if (
      typeof sub !== 'string' ||
      typeof sep !== 'number' ||
      typeof exp !== 'number' ||
      !Array.isArray(roles) ||
      !roles.every((r) => typeof r === 'string')
    ) {
      throw unauthenticated('AUTH.TOKEN_INVALID', 'The access token is not valid');
    }
    return { sub, roles: roles as string[], sep, exp };
  }
}

function unauthenticated(code: string, message: string): DomainError {
  return new DomainError('unauthenticated', code, message);
}
