import { webcrypto } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Authenticator, Principal } from '../../application/ports/authenticator.js';
import type { IssuedToken, MemberDirectory, TokenIssuer } from '../../application/members/members.ports.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { Hs256Verifier } from './hs256-jws.js';
import { VerifiedTokenCache, type VerifiedClaims } from './verified-token-cache.js';

type CryptoKey = webcrypto.CryptoKey;

const ISSUER = 'onsale';
const AUDIENCE = 'onsale-api';
/** Access tokens last an hour; there are no refresh tokens — the member logs in again. */
export const ACCESS_TOKEN_SECONDS = 3600;

/** Signs HS256 access tokens (jose, once per log-in): `sub`, `roles`, `sep` (session epoch), `iat`, `exp`, `iss`, `aud`. */
export class JwtTokenIssuer implements TokenIssuer {
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds = ACCESS_TOKEN_SECONDS,
  ) {
    // imported once: handed raw bytes, jose would import a key on every sign
    this.key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
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
 * Verifies the signature (HS256 only, synchronously), issuer, audience, expiry and not-before,
 * then checks that the member still exists and that the token's session epoch is current (read
 * model, briefly cached).
 */
export class JwtAuthenticator implements Authenticator {
  private readonly verified = new VerifiedTokenCache();
  private readonly signature: Hs256Verifier;

  constructor(
    secret: Uint8Array,
    private readonly directory: MemberDirectory,
  ) {
    this.signature = new Hs256Verifier(secret);
  }

  async authenticate(bearerToken: string): Promise<Principal> {
    const now = Math.floor(Date.now() / 1000);
    let claims = this.verified.get(bearerToken, now);
    if (!claims) {
      claims = verifiedClaims(this.signature.verify(bearerToken), now);
      this.verified.set(bearerToken, claims);
    }
    const current = await this.directory.sessionEpoch(claims.sub);
    if (current === undefined || claims.sep < current) throw unauthenticated('AUTH.TOKEN_REVOKED', 'This session has ended; log in again');
    return { memberId: claims.sub, roles: claims.roles };
  }
}

/** The claims of a token whose signature checked out (`undefined` if it did not), or why it is refused. */
function verifiedClaims(payload: Record<string, unknown> | undefined, now: number): VerifiedClaims {
  if (!payload) throw unauthenticated('AUTH.TOKEN_INVALID', 'The access token is not valid');
  const { sub, roles, sep, exp, nbf, iss, aud } = payload;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (
    iss !== ISSUER ||
    !audiences.includes(AUDIENCE) ||
    typeof sub !== 'string' ||
    typeof sep !== 'number' ||
    typeof exp !== 'number' ||
    (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) ||
    !Array.isArray(roles) ||
    !roles.every((r) => typeof r === 'string')
  ) {
    throw unauthenticated('AUTH.TOKEN_INVALID', 'The access token is not valid');
  }
  if (exp <= now) throw unauthenticated('AUTH.TOKEN_EXPIRED', 'The access token has expired; log in again');
  return { sub, roles: roles as string[], sep, exp };
}

function unauthenticated(code: string, message: string): DomainError {
  return new DomainError('unauthenticated', code, message);
}
