import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AdmissionTokens } from '../../application/ports/admission-tokens.js';
import type { AdmissionClaims } from '../../domain/admission/admission-token.js';

export interface SigningKey {
  kid: string;
  secret: string;
}

/**
 * Tokens as `<kid>.<base64url claims>.<base64url HMAC-SHA256>`: the first key signs, every key
 * verifies, so a new key can be put first while tokens signed with the old one still pass.
 */
export class HmacAdmissionTokens implements AdmissionTokens {
  private readonly byKid: Map<string, string>;

  constructor(private readonly keys: SigningKey[]) {
    if (!keys.length) throw new Error('admission tokens need at least one key');
    this.byKid = new Map(keys.map((key) => [key.kid, key.secret]));
  }

  sign(claims: AdmissionClaims): string {
    const { kid, secret } = this.keys[0]!;
    const payload = Buffer.from(JSON.stringify({ sub: claims.sub, show: claims.show, exp: claims.exp })).toString('base64url');
    return `${kid}.${payload}.${mac(secret, `${kid}.${payload}`)}`;
  }

  read(token: string): AdmissionClaims | undefined {
    const [kid, payload, signature, extra] = token.split('.');
    if (!kid || !payload || !signature || extra !== undefined) return undefined;
    const secret = this.byKid.get(kid);
    if (!secret) return undefined;
    const expected = Buffer.from(mac(secret, `${kid}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<AdmissionClaims>;
      if (typeof claims.sub !== 'string' || typeof claims.show !== 'string' || typeof claims.exp !== 'number') return undefined;
      return { sub: claims.sub, show: claims.show, exp: claims.exp };
    } catch {
      return undefined;
    }
  }
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}
