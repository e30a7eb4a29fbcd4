import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import type { MemberDirectory } from '../../../../src/application/members/members.ports.js';
import { DomainError } from '../../../../src/domain/shared/domain-error.js';
import { Hs256Verifier } from '../../../../src/infrastructure/members/hs256-jws.js';
import { JwtAuthenticator, JwtTokenIssuer } from '../../../../src/infrastructure/members/jwt-tokens.js';

const secret = new TextEncoder().encode('a secret of thirty-two bytes or more!');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (text: string, algorithm = 'sha256', key: Uint8Array = secret) => createHmac(algorithm, key).update(text).digest('base64url');

/** A compact JWS with the given header and payload, signed with HMAC (`algorithm`) over both. */
function jws(header: unknown, payload: unknown, algorithm = 'sha256', key: Uint8Array = secret): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${hmac(signingInput, algorithm, key)}`;
}

describe('HS256 verification (node:crypto, synchronous)', () => {
  const verifier = new Hs256Verifier(secret);

  it('when jose signed the token with the same secret, then its payload is returned', async () => {
    const token = await new SignJWT({ roles: ['admin'], sep: 3 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('m-1')
      .sign(secret);
    expect(verifier.verify(token)).to.deep.include({ sub: 'm-1', roles: ['admin'], sep: 3 });
  });

  it('when the signature is another key’s, or the payload was changed after signing, then nothing is returned', async () => {
    const other = jws({ alg: 'HS256' }, { sub: 'm-1' }, 'sha256', new TextEncoder().encode('another secret, just as long as it!'));
    expect(verifier.verify(other)).to.equal(undefined);
    const [header, , signature] = jws({ alg: 'HS256' }, { sub: 'm-1' }).split('.');
    expect(verifier.verify(`${header}.${b64({ sub: 'admin' })}.${signature}`)).to.equal(undefined);
  });

  it('when the header names another algorithm (none, HS512) or a critical extension, then nothing is returned', () => {
    expect(verifier.verify(`${b64({ alg: 'none' })}.${b64({ sub: 'm-1' })}.`)).to.equal(undefined);
    expect(verifier.verify(jws({ alg: 'HS512' }, { sub: 'm-1' }, 'sha512'))).to.equal(undefined);
    // signed with the right key and HMAC-SHA256, but claiming HS512: the header must say HS256
    expect(verifier.verify(jws({ alg: 'HS512' }, { sub: 'm-1' }))).to.equal(undefined);
    expect(verifier.verify(jws({ alg: 'HS256', crit: ['exp'] }, { sub: 'm-1' }))).to.equal(undefined);
    expect(verifier.verify(jws({ alg: 'HS256' }, { sub: 'm-1' }))).to.deep.equal({ sub: 'm-1' });
  });

  it('when the token is malformed (segments, characters, signature length, a payload that is not an object), then nothing is returned', () => {
    const good = jws({ alg: 'HS256' }, { sub: 'm-1' });
    expect(verifier.verify('not.a.token')).to.equal(undefined);
    expect(verifier.verify(`${good}.extra`)).to.equal(undefined);
    expect(verifier.verify(good.slice(0, good.lastIndexOf('.')))).to.equal(undefined);
    expect(verifier.verify(`${good}==`)).to.equal(undefined);
    expect(verifier.verify(`${good.slice(0, -4)}`)).to.equal(undefined);
    expect(verifier.verify(jws({ alg: 'HS256' }, ['m-1']))).to.equal(undefined);
    expect(verifier.verify(jws({ alg: 'HS256' }, 'm-1'))).to.equal(undefined);
    const notJson = `${b64({ alg: 'HS256' })}.${Buffer.from('{sub').toString('base64url')}`;
    expect(verifier.verify(`${notJson}.${hmac(notJson)}`)).to.equal(undefined);
  });
});

describe('the JWT authenticator', () => {
  const directory = { sessionEpoch: async (memberId: string) => (memberId === 'm-1' ? 1 : undefined) } as MemberDirectory;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: 'm-1',
    roles: [],
    sep: 1,
    iss: 'onsale',
    aud: 'onsale-api',
    exp: now() + 60,
    ...overrides,
  });

  async function refusal(token: string): Promise<string | undefined> {
    try {
      await new JwtAuthenticator(secret, directory).authenticate(token);
      return undefined;
    } catch (error) {
      expect(error).to.be.instanceOf(DomainError);
      return (error as DomainError).code;
    }
  }

  it('when the issuer signed the token, then the member and roles are known', async () => {
    const { accessToken } = await new JwtTokenIssuer(secret).issue({ memberId: 'm-1', roles: ['admin'], sessionEpoch: 1 });
    expect(await new JwtAuthenticator(secret, directory).authenticate(accessToken)).to.deep.equal({ memberId: 'm-1', roles: ['admin'] });
  });

  it('when the token expired, then AUTH.TOKEN_EXPIRED; when its issuer, audience, not-before or claims are wrong, then AUTH.TOKEN_INVALID', async () => {
    expect(await refusal(jws({ alg: 'HS256' }, claims({ exp: now() - 1 })))).to.equal('AUTH.TOKEN_EXPIRED');
    expect(await refusal(jws({ alg: 'HS256' }, claims({ iss: 'someone' })))).to.equal('AUTH.TOKEN_INVALID');
    expect(await refusal(jws({ alg: 'HS256' }, claims({ aud: 'another-api' })))).to.equal('AUTH.TOKEN_INVALID');
    expect(await refusal(jws({ alg: 'HS256' }, claims({ nbf: now() + 60 })))).to.equal('AUTH.TOKEN_INVALID');
    expect(await refusal(jws({ alg: 'HS256' }, claims({ roles: 'admin' })))).to.equal('AUTH.TOKEN_INVALID');
    expect(await refusal(jws({ alg: 'HS256' }, claims({ exp: undefined })))).to.equal('AUTH.TOKEN_INVALID');
    expect(await refusal(jws({ alg: 'none' }, claims()))).to.equal('AUTH.TOKEN_INVALID');
    expect(await refusal(jws({ alg: 'HS256' }, claims({ aud: ['other', 'onsale-api'], nbf: now() - 5 })))).to.equal(undefined);
  });

  it('when the session epoch moved on or the member is gone, then AUTH.TOKEN_REVOKED', async () => {
    expect(await refusal(jws({ alg: 'HS256' }, claims({ sep: 0 })))).to.equal('AUTH.TOKEN_REVOKED');
    expect(await refusal(jws({ alg: 'HS256' }, claims({ sub: 'm-2' })))).to.equal('AUTH.TOKEN_REVOKED');
  });
});
