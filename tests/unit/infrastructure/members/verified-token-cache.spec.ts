import { expect } from 'chai';
import { VerifiedTokenCache } from '../../../../src/infrastructure/members/verified-token-cache.js';

describe('the verified-token cache', () => {
  const claims = (exp: number) => ({ sub: 'm-1', roles: [], sep: 0, exp });

  it('when a token was verified, then it is found until it expires, and not after', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t', claims(100));
    expect(cache.get('t', 99)).to.deep.equal(claims(100));
    expect(cache.get('t', 100)).to.equal(undefined);
    expect(cache.get('t', 50), 'an expired entry is dropped').to.equal(undefined);
  });

  it('when more tokens are verified than it holds, then the oldest is forgotten first', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', claims(100));
    cache.set('b', claims(100));
    cache.set('c', claims(100));
    expect(cache.get('a', 0)).to.equal(undefined);
    expect(cache.get('b', 0)).to.not.equal(undefined);
    expect(cache.get('c', 0)).to.not.equal(undefined);
  });
});
