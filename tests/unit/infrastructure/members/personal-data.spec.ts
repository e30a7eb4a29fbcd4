import { expect } from 'chai';
import { openMemberEvent, sealMemberEvent } from '../../../../src/application/members/member-event-codec.js';
import type { MemberEvent } from '../../../../src/domain/members/members.events.js';
import { newMemberKey, openWith, sealWith } from '../../../../src/infrastructure/members/personal-data-cipher.js';
import { preloadedVault } from '../../../../src/infrastructure/members/sql-personal-data-vault.js';

const memberId = '3b0b7a3e-0000-4000-8000-000000000001';
const signedUp: MemberEvent = {
  type: 'MemberSignedUp',
  data: { memberId, email: 'ada@example.org', name: 'Ada', passwordHash: 'scrypt$hash', registeredAt: '2026-11-25T10:00:00.000Z' },
};

describe('personal data sealing', () => {
  it('when sealed and opened with the same key and member, then the data comes back', () => {
    const key = newMemberKey();
    expect(openWith(key, memberId, sealWith(key, memberId, { email: 'ada@example.org' }))).to.deep.equal({ email: 'ada@example.org' });
  });

  it('when opened with another key, under another member id, or altered, then it throws', () => {
    const key = newMemberKey();
    const sealed = sealWith(key, memberId, { email: 'ada@example.org' });
    expect(() => openWith(newMemberKey(), memberId, sealed)).to.throw();
    expect(() => openWith(key, 'someone-else', sealed)).to.throw();
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0]! ^= 1;
    expect(() => openWith(key, memberId, [version, iv, tag, flipped.toString('base64')].join('.'))).to.throw();
  });

  it('when an event is sealed, then its stored data holds no personal field in clear', async () => {
    const key = newMemberKey();
    const vault = { seal: async (id: string, data: Record<string, unknown>) => sealWith(key, id, data) };
    const stored = await sealMemberEvent(signedUp, vault);
    const text = JSON.stringify(stored);
    for (const secret of ['ada@example.org', '"Ada"', 'scrypt$hash']) expect(text).not.to.include(secret);
    expect(stored.data).to.include({ memberId, registeredAt: '2026-11-25T10:00:00.000Z' });
    const opened = await openMemberEvent(stored, preloadedVault(new Map([[memberId, key]])));
    expect(opened).to.deep.equal({ event: signedUp, forgotten: false });
  });

  it('when the key is gone, then the event opens with empty personal fields and says it is forgotten', async () => {
    const key = newMemberKey();
    const stored = await sealMemberEvent(signedUp, { seal: async (id, data) => sealWith(key, id, data) });
    const opened = await openMemberEvent(stored, preloadedVault(new Map()));
    expect(opened.forgotten).to.equal(true);
    expect(opened.event.data).to.deep.equal({ ...signedUp.data, email: '', name: '', passwordHash: '' });
  });

  it('when an event has no personal data, then it is stored as it is', async () => {
    const withdrew: MemberEvent = { type: 'MemberWithdrew', data: { memberId, withdrawnAt: '2026-11-25T11:00:00.000Z' } };
    const stored = await sealMemberEvent(withdrew, { seal: async () => expect.fail('nothing to seal') });
    expect(stored).to.deep.equal(withdrew);
  });
});
