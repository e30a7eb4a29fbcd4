import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { fixedDrawSeeds, randomDrawSeeds } from '../../../../src/infrastructure/admission/draw-seeds.js';

describe('draw seeds', () => {
  it('when no test seed is configured, then every draw gets 256 fresh random bits', () => {
    const seeds = new Set(Array.from({ length: 50 }, () => randomDrawSeeds.seedFor('show-1')));
    expect(seeds.size).to.equal(50);
    for (const seed of seeds) expect(seed).to.match(/^[0-9a-f]{64}$/);
  });

  it('when a test seed is configured, then each show gets sha256(seed:showId), the same in every process', () => {
    const one = fixedDrawSeeds('fixed-seed');
    const other = fixedDrawSeeds('fixed-seed');
    expect(one.seedFor('show-1')).to.equal(createHash('sha256').update('fixed-seed:show-1').digest('hex'));
    expect(other.seedFor('show-1')).to.equal(one.seedFor('show-1'));
    expect(one.seedFor('show-2')).to.not.equal(one.seedFor('show-1'));
    expect(fixedDrawSeeds('another-seed').seedFor('show-1')).to.not.equal(one.seedFor('show-1'));
  });
});
