import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { admissionClaims } from '../../../../src/domain/admission/admission-token.js';
import { loadAdmissionKeys, parseAdmissionKeys } from '../../../../src/infrastructure/admission/admission-keys.js';
import { HmacAdmissionTokens } from '../../../../src/infrastructure/admission/hmac-admission-tokens.js';
import { tempDataDir } from '../../../support/temp-dir.js';

const claims = admissionClaims('member-1', 'show-1', 1_000_000, 120);
const oldKey = { kid: 'k1', secret: 'the-first-secret-0123456789' };
const newKey = { kid: 'k2', secret: 'the-second-secret-0123456789' };

describe('HMAC admission tokens', () => {
  it('when a token is signed, then it reads back with its claims and names the signing key', () => {
    const tokens = new HmacAdmissionTokens([newKey, oldKey]);
    const token = tokens.sign(claims);
    expect(token.split('.')[0]).to.equal('k2');
    expect(tokens.read(token)).to.deep.equal(claims);
  });

  it('when keys rotate, then tokens of the old key still verify and a dropped key no longer does', () => {
    const before = new HmacAdmissionTokens([oldKey]).sign(claims);
    expect(new HmacAdmissionTokens([newKey, oldKey]).read(before)).to.deep.equal(claims);
    expect(new HmacAdmissionTokens([newKey]).read(before)).to.equal(undefined);
  });

  it('when a token is tampered with, then it does not read', () => {
    const tokens = new HmacAdmissionTokens([oldKey]);
    const [kid, , signature] = tokens.sign(claims).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'member-2' })).toString('base64url');
    expect(tokens.read(`${kid}.${forged}.${signature}`)).to.equal(undefined);
    expect(tokens.read('k1.e30')).to.equal(undefined);
    expect(tokens.read('')).to.equal(undefined);
  });
});

describe('admission keys', () => {
  it('when ADMISSION_KEYS lists keys, then the first is first; a short secret or bad id is an error', () => {
    expect(parseAdmissionKeys('a:0123456789abcdef, b:fedcba9876543210').map((k) => k.kid)).to.deep.equal(['a', 'b']);
    expect(() => parseAdmissionKeys('a:short')).to.throw(/at least 16/);
    expect(() => parseAdmissionKeys('no-colon-here')).to.throw(/key id/);
  });

  it('when no keys are configured, then one is generated into DATA_DIR once and reused', () => {
    const data = tempDataDir();
    try {
      const first = loadAdmissionKeys(undefined, data.dir);
      expect(readFileSync(path.join(data.dir, 'admission-keys'), 'utf8')).to.contain(first[0]!.secret);
      expect(loadAdmissionKeys(undefined, data.dir)).to.deep.equal(first);
    } finally {
      data.remove();
    }
  });
});
