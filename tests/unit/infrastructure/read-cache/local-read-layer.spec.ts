import { expect } from 'chai';
import { LocalReadLayer } from '../../../../src/infrastructure/read-cache/local-read-layer.js';

describe('the in-process read layer', () => {
  it('when an answer is kept, then the same object comes back until its time is up', () => {
    const layer = new LocalReadLayer(250);
    const answer = { remaining: 3 };
    layer.set('show:1', answer, 10_000, 1_000);
    expect(layer.get('show:1', 1_249)).to.equal(answer);
    expect(layer.get('show:1', 1_250)).to.equal(undefined);
  });

  it('when the shared entry expires sooner than the layer would keep it, then the sooner time wins', () => {
    const layer = new LocalReadLayer(250);
    layer.set('seats:1', {}, 40, 1_000);
    expect(layer.get('seats:1', 1_039)).to.not.equal(undefined);
    expect(layer.get('seats:1', 1_040)).to.equal(undefined);
  });

  it('when this process invalidates a key, then it is gone at once', () => {
    const layer = new LocalReadLayer();
    layer.set('seats:1', {});
    layer.delete(['seats:1']);
    expect(layer.get('seats:1')).to.equal(undefined);
  });
});
