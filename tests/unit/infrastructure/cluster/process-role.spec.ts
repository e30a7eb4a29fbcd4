import { expect } from 'chai';
import { startsHere } from '../../../../src/infrastructure/cluster/process-role.js';

const services = ['database', 'projections', 'mail sender', 'admission admitter', 'hold expirer', 'idempotency purger', 'queue watch'];
const started = (role: 'all' | 'web' | 'background' | 'waiting-room') => services.filter((name) => startsHere({ ONSALE_ROLE: role }, name));

describe('startsHere: which lifecycle services a process starts, by its role', () => {
  it('when the process does everything, then it starts every service', () => {
    expect(started('all')).to.deep.equal(services);
    expect(started('background')).to.deep.equal(services);
  });

  it('when it is a web worker beside a background process, then it leaves the projections and the mail sender', () => {
    expect(started('web')).to.deep.equal(['database', 'admission admitter', 'hold expirer', 'idempotency purger', 'queue watch']);
  });

  it('when it holds the waiting room only, then it also leaves the admitter, the holds’ expiry and the purge to the booking workers', () => {
    expect(started('waiting-room')).to.deep.equal(['database', 'queue watch']);
  });
});
