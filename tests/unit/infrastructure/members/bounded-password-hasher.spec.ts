import { expect } from 'chai';
import { BoundedPasswordHasher } from '../../../../src/infrastructure/members/bounded-password-hasher.js';
import { ScryptPasswordHasher } from '../../../../src/infrastructure/members/scrypt-password-hasher.js';

const scrypt = new ScryptPasswordHasher({ N: 4096, r: 8, p: 1 });

describe('the bounded password hasher', () => {
  it('when more hashes arrive than may run and wait, then the rest are refused with a 503 AUTH.BUSY at once', async () => {
    const hasher = new BoundedPasswordHasher(scrypt, 1, 2);
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => hasher.hash(`password ${i}`)));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected') as PromiseRejectedResult[];
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).to.have.length(3);
    expect(refused).to.have.length(3);
    expect(refused[0]!.reason).to.include({ kind: 'unavailable', code: 'AUTH.BUSY', retryAfterSeconds: 1 });
  });

  it('when the queue drains, then new work is accepted again and results are right', async () => {
    const hasher = new BoundedPasswordHasher(scrypt, 2, 2);
    const hashes = await Promise.all(['one password', 'two password', 'three password', 'four password'].map((p) => hasher.hash(p)));
    expect(await hasher.verify('three password', hashes[2])).to.equal(true);
    expect(await hasher.verify('three password', hashes[1])).to.equal(false);
  });

  it('when a hash fails, then its slot is given back (else the next call would be refused as busy)', async () => {
    // N must be a power of two: scrypt itself rejects this cost.
    const hasher = new BoundedPasswordHasher(new ScryptPasswordHasher({ N: 3, r: 8, p: 1 }), 1, 0);
    for (let i = 0; i < 3; i++) {
      const error = await hasher.hash('some password').catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(Error).and.not.have.property('code', 'AUTH.BUSY');
    }
  });
});
