import { expect } from 'chai';
import { pathParams } from '../../../../src/infrastructure/http/path-params.js';

describe('pathParams (an upgraded request matched to its route)', () => {
  const template = '/api/shows/:id/queue/events';

  it('when the path fits the template, then its params come back percent-decoded', () => {
    expect(pathParams(template, '/api/shows/8d3b/queue/events')).to.deep.equal({ id: '8d3b' });
    expect(pathParams(template, '/api/shows/bad%7Bid%7D/queue/events')).to.deep.equal({ id: 'bad{id}' });
    expect(pathParams(template, '/API/Shows/x/QUEUE/events')).to.deep.equal({ id: 'x' });
  });

  it('when a segment differs, is missing or is extra, or a param is empty, then nothing matches', () => {
    for (const path of ['/api/shows/x/queue', '/api/shows/x/queue/events/more', '/api/shows//queue/events', '/api/show/x/queue/events']) {
      expect(pathParams(template, path), path).to.equal(undefined);
    }
  });

  it('when a param is badly percent-encoded, then it is kept as it came (for validation to refuse)', () => {
    expect(pathParams(template, '/api/shows/%E0%A4%A/queue/events')).to.deep.equal({ id: '%E0%A4%A' });
  });
});
