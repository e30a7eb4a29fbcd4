import { expect } from 'chai';
import { MAX_WAIT_SECONDS, preferredWait } from '../../../src/infrastructure/http/queue-long-poll.js';

describe('the Prefer: wait header', () => {
  it('when it asks for seconds, then that many are waited, at most the cap', () => {
    expect(preferredWait('wait=10')).to.equal(10);
    expect(preferredWait('respond-async, wait=5')).to.equal(5);
    expect(preferredWait(['handling=lenient', 'wait="7"'])).to.equal(7);
    expect(preferredWait('wait=3600')).to.equal(MAX_WAIT_SECONDS);
  });

  it('when it is absent or malformed, then nothing is waited', () => {
    expect(preferredWait(undefined)).to.equal(0);
    expect(preferredWait('wait=soon')).to.equal(0);
    expect(preferredWait('await=5')).to.equal(0);
    expect(preferredWait('wait=-3')).to.equal(0);
  });
});
