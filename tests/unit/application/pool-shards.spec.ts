import { expect } from 'chai';
import { PoolShards } from '../../../src/application/booking/pool-shards.js';

const pool = Array.from({ length: 16 }, (_, i) => `ga${i}`);
const firsts = (shards: PoolShards, count: number) => Array.from({ length: count }, () => shards.first(pool)).flat();

describe('pool shards (which shards a process takes tickets from)', () => {
  it('when a process is slot 1 of 2, then it takes from every other shard, each in turn', () => {
    const taken = firsts(new PoolShards(1, 2), 16);
    expect(new Set(taken)).to.deep.equal(new Set(['ga1', 'ga3', 'ga5', 'ga7', 'ga9', 'ga11', 'ga13', 'ga15']));
    expect(taken.filter((shard) => shard === 'ga5')).to.have.length(2);
  });

  it('when two processes share a pool, then their first shards never meet', () => {
    const [zero, one] = [new Set(firsts(new PoolShards(0, 2), 32)), new Set(firsts(new PoolShards(1, 2), 32))];
    expect([...zero].filter((shard) => one.has(shard))).to.deep.equal([]);
    expect(zero.size + one.size).to.equal(16);
  });

  it('when its own shards are short, then it falls back to all of them, its own first', () => {
    const all = new PoolShards(1, 4).all(pool);
    expect(all.slice(0, 4)).to.deep.equal(['ga1', 'ga5', 'ga9', 'ga13']);
    expect([...all].sort()).to.deep.equal([...pool].sort());
  });

  it('when there is one process, then it takes from every shard', () => {
    expect(new Set(firsts(new PoolShards(), 16))).to.deep.equal(new Set(pool));
  });

  it('when there are more processes than shards, then each takes from one shard', () => {
    const small = ['ga0', 'ga1', 'ga2'];
    const shards = new PoolShards(5, 8);
    expect(new Set(Array.from({ length: 6 }, () => shards.first(small)).flat())).to.deep.equal(new Set(['ga2']));
    expect(shards.all(small)).to.deep.equal(['ga2', 'ga0', 'ga1']);
  });

  it('when the show has no pool, then there is no shard to take', () => {
    expect(new PoolShards(0, 2).first([])).to.deep.equal([]);
    expect(new PoolShards(0, 2).all([])).to.deep.equal([]);
  });
});
