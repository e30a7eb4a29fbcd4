import { expect } from 'chai';
import { seedShowDefinition, type ShowSize } from '../../../../src/infrastructure/cli/seed-shows.js';

const size: ShowSize = { capacity: 100, seats: 1000, maxTicketsPerMember: 4, admitPerSecond: 10, maxActive: 10 };
const now = new Date('2026-12-05T00:00:00.000Z');

describe('seed: show definitions', () => {
  it('when a reserved show is seeded with an orphan rule, then the show carries it; without one, the show has none (off)', () => {
    expect(seedShowDefinition('reserved', { ...size, orphanSeats: 'refuse' }, now).orphanSeats).to.equal('refuse');
    expect(seedShowDefinition('reserved', size, now)).not.to.have.property('orphanSeats');
  });

  it('when a general-admission show is seeded with an orphan rule, then it is left out: there are no seats to strand', () => {
    expect(seedShowDefinition('general', { ...size, orphanSeats: 'refuse' }, now)).not.to.have.property('orphanSeats');
  });
});
