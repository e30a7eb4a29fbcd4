import { expect } from 'chai';
import { ExpiringMap } from '../../../src/infrastructure/expiring-map.js';

describe('the expiring map', () => {
  it('when an entry is read before its moment, then it is there; at or after it, it is gone', () => {
    const map = new ExpiringMap<string>(10);
    map.set('a', 'x', 1_000);
    expect(map.get('a', 999)).to.equal('x');
    expect(map.get('a', 1_000)).to.equal(undefined);
    expect(map.get('a', 0), 'a read past its moment removed it').to.equal(undefined);
  });

  it('when more entries are set than it holds, then the oldest goes first, and setting again makes an entry young', () => {
    const map = new ExpiringMap<number>(2);
    map.set('a', 1, Infinity);
    map.set('b', 2, Infinity);
    map.set('a', 3, Infinity);
    map.set('c', 4, Infinity);
    expect(map.get('b')).to.equal(undefined);
    expect(map.get('a')).to.equal(3);
    expect(map.get('c')).to.equal(4);
  });
});
