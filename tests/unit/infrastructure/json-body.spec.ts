import { expect } from 'chai';
import { jsonBody, matchesEtag } from '../../../src/infrastructure/http/json-body.js';

describe('JSON answers', () => {
  it('when the same answer object is sent again, then its text is not made again', () => {
    const answer = { seats: [{ id: 'A-1-1', status: 'available' }] };
    const first = jsonBody(answer);
    expect(first.text).to.equal(JSON.stringify(answer));
    expect(jsonBody(answer)).to.equal(first);
  });

  it('when two answers say the same, then their ETags are equal, and differ from another answer', () => {
    expect(jsonBody({ a: 1 }).etag).to.equal(jsonBody({ a: 1 }).etag);
    expect(jsonBody({ a: 1 }).etag).to.not.equal(jsonBody({ a: 2 }).etag);
  });

  it('when If-None-Match lists the ETag (weak or among others) or is *, then it matches', () => {
    const { etag } = jsonBody({ a: 1 });
    expect(matchesEtag(etag, etag)).to.equal(true);
    expect(matchesEtag(`"x", W/${etag}`, etag)).to.equal(true);
    expect(matchesEtag('*', etag)).to.equal(true);
    expect(matchesEtag('"x"', etag)).to.equal(false);
  });
});
