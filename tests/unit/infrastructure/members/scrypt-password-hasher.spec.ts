import { expect } from 'chai';
import { ScryptPasswordHasher, SCRYPT_COST } from '../../../../src/infrastructure/members/scrypt-password-hasher.js';

// A low cost keeps these tests quick; the cost in use is checked on its own.
const hasher = new ScryptPasswordHasher({ N: 1024, r: 8, p: 1 });

describe('the scrypt password hasher', () => {
  it('when a password is hashed, then the hash names its cost and salt and never contains the password', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).to.match(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.to.include('correct horse');
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hasher.hash('correct horse battery')).not.to.equal(await hasher.hash('correct horse battery'));
  });

  it('when verified, then the right password matches and a wrong one does not', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(await hasher.verify('correct horse battery', hash)).to.equal(true);
    expect(await hasher.verify('correct horse batterY', hash)).to.equal(false);
  });

  it('when there is no hash (unknown address), then it answers false', async () => {
    expect(await hasher.verify('correct horse battery', undefined)).to.equal(false);
  });

  it('when a hash was made at another cost, then it still verifies at that cost', async () => {
    const old = await new ScryptPasswordHasher({ N: 2048, r: 4, p: 1 }).hash('an older password');
    expect(await hasher.verify('an older password', old)).to.equal(true);
  });

  it('when a stored hash is corrupt or asks for an absurd cost, then it does not match', async () => {
    expect(await hasher.verify('x', 'plain-text')).to.equal(false);
    expect(await hasher.verify('x', 'scrypt$1073741824$8$1$c2FsdA==$a2V5')).to.equal(false);
  });

  it('when a password is typed in another Unicode form, then it matches (NFKC)', async () => {
    const hash = await hasher.hash('caf\u00e9 au lait 12');
    expect(await hasher.verify('cafe\u0301 au lait 12', hash)).to.equal(true);
  });

  it('when the production cost is read, then it is N=2^15, r=8, p=1', () => {
    expect(SCRYPT_COST).to.deep.equal({ N: 32768, r: 8, p: 1 });
  });
});
