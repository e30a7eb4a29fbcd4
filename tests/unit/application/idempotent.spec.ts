import { expect } from 'chai';
import { derivedKey, derivedUuid, idempotent } from '../../../src/application/booking/idempotent.js';
import type { IdempotencyStore, StoredResponse } from '../../../src/application/ports/idempotency-store.js';

describe('idempotent requests: derived ids and fingerprints', () => {
  // Hold ids, event ids and stored fingerprints outlive a deploy: a retry after one must derive the same.
  it('when ids are derived from a key, then they are the same as every earlier version derived', () => {
    const key = derivedKey('hold:m-1', 'show-1', 'key-1');
    expect(key).to.equal('840d95f0c2864ced62564fad');
    expect(derivedUuid('hold-event', `show-1.h${key}`, '0')).to.equal('a1b80b89-447c-5616-a3ec-3db87e736d30');
  });

  it('when an answer is remembered, then its fingerprint is the sha256 of the content as earlier versions stored it', async () => {
    const remembered: StoredResponse[] = [];
    const store: IdempotencyStore = {
      recall: async () => undefined,
      remember: async (_scope, _key, response) => void remembered.push(response),
    };
    expect(
      await idempotent(store, { scope: 'hold:m-1', key: 'k', content: { showId: 's', request: { quantity: 2 } } }, async () => 'done'),
    ).to.equal('done');
    expect(remembered.map((r) => r.fingerprint)).to.deep.equal(['UoPbc8HqhtPvxk3k5ZVRl2A8C3UQHCbekuSSu8XX9HU']);
  });
});
