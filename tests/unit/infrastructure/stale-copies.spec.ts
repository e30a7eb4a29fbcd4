import { expect } from 'chai';
import { MemoryReadCache } from '../../../src/infrastructure/read-cache/memory-read-cache.js';
import { StaleCopies } from '../../../src/infrastructure/http/stale-copies.js';

const refused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

describe('stale copies of public reads', () => {
  let now = 1_000_000;
  const copies = () => new StaleCopies(new MemoryReadCache(), () => now);

  it('when the database is away after a good answer, then that answer is served with Age and Warning', async () => {
    const stale = copies();
    expect(await stale.serve('seats:x', async () => ({ rows: ['aas'] }))).to.deep.equal({ body: { rows: ['aas'] } });
    await new Promise((resolve) => setImmediate(resolve));
    now += 42_000;
    expect(await stale.serve('seats:x', refused)).to.deep.equal({
      body: { rows: ['aas'] },
      headers: { Age: '42', Warning: '110 - "Response is Stale"' },
    });
  });

  it('when there is no copy, or the failure is no database fault, then the error goes on to the error mapping', async () => {
    const stale = copies();
    expect(await stale.serve('shows', refused).catch((error: Error) => error.message)).to.equal('connect ECONNREFUSED');
    await stale.serve('shows', async () => ['a show']);
    await new Promise((resolve) => setImmediate(resolve));
    const bug = () => Promise.reject(new Error('a bug'));
    expect(await stale.serve('shows', bug).catch((error: Error) => error.message)).to.equal('a bug');
  });
});
