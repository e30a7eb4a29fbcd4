import { expect } from 'chai';
import { admissionClaims, claimsProblem } from '../../../../src/domain/admission/admission-token.js';
import { estimateWaitSeconds, etaErrorSeconds } from '../../../../src/domain/admission/eta.js';
import { drawOrder } from '../../../../src/domain/admission/pre-queue-draw.js';

describe('the pre-queue draw', () => {
  const members = Array.from({ length: 50 }, (_, i) => `m${i}`);

  it('when drawn twice with the same seed, then the order is the same (auditable)', () => {
    expect(drawOrder(members, 'seed-1')).to.deep.equal(drawOrder(members, 'seed-1'));
  });

  it('when drawn, then it is a permutation of the pre-queue and seeds change it', () => {
    const order = drawOrder(members, 'seed-1');
    expect([...order].sort()).to.deep.equal([...members].sort());
    expect(order).not.to.deep.equal(members);
    expect(drawOrder(members, 'seed-2')).not.to.deep.equal(order);
  });

  it('when drawn with many seeds, then every order of three is about equally likely', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = drawOrder(['a', 'b', 'c'], `seed-${i}`).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).to.equal(6);
    for (const count of counts.values()) expect(count).to.be.within(850, 1150);
  });
});

describe('the ETA', () => {
  it('when 99 are ahead at 10 per second, then the wait is 10 seconds', () => {
    expect(estimateWaitSeconds(99, 10)).to.equal(10);
    expect(estimateWaitSeconds(0, 10)).to.equal(1);
  });

  it('when a member was admitted 4 s later than said, then the error is +4', () => {
    expect(etaErrorSeconds({ joinedAt: 0, aheadAtJoin: 9 }, 5000, 10)).to.equal(4);
  });
});

describe('the admission token claims', () => {
  const claims = admissionClaims('member-1', 'show-1', 1_000_000, 60);

  it('when checked by the same member and show in time, then there is no problem', () => {
    expect(claims.exp).to.equal(1060);
    expect(claimsProblem(claims, 'member-1', 'show-1', 1_059_000)).to.equal(undefined);
  });

  it('when another member, another show or a late hold uses it, then it is refused with the reason', () => {
    expect(claimsProblem(claims, 'member-2', 'show-1', 1_000_000)).to.match(/another member/);
    expect(claimsProblem(claims, 'member-1', 'show-2', 1_000_000)).to.match(/another show/);
    expect(claimsProblem(claims, 'member-1', 'show-1', 1_060_000)).to.match(/expired/);
  });
});
