import { expect } from 'chai';
import { uniqueName } from '../../support/services.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

const LEASE_MS = 20_000;
const MAX_SESSION_MS = 120_000;

for (const mode of ['mariadb', 'embedded'] as const) {
  describe(`the wait told to members in line, from the rate and the places (${mode === 'mariadb' ? 'MariaDB + Redis' : 'embedded'})`, () => {
    let server: QueueServer;
    let show: string;
    const path = () => `/api/shows/${show}/queue`;

    beforeEach(async function () {
      server = await startQueueServer(this, mode, { settings: { lease: { leaseMs: LEASE_MS, maxSessionMs: MAX_SESSION_MS } } });
      show = uniqueName('show');
    });
    afterEach(async () => server?.close());

    it('when the one place is taken (maxActive 1, 1 a second), then the wait is at least until that place frees up, as a range up to the longest session', async () => {
      server.sales.put(show, { queue: { admitPerSecond: 1, maxActive: 1 } });
      const [holder, next] = [await server.http.member(), await server.http.member()];
      await server.http.request('POST', path(), { token: holder.token });
      const end = Date.now() + 15_000;
      let admitted = await server.http.request('GET', path(), { token: holder.token });
      while (admitted.body.state !== 'admitted' && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        admitted = await server.http.request('GET', path(), { token: holder.token });
      }
      expect(admitted.body.state).to.equal('admitted');
      const freesIn = (Date.parse(admitted.body.expiresAt) - Date.now()) / 1000;

      const joined = await server.http.request('POST', path(), { token: next.token });
      expect(joined.body).to.include({ state: 'waiting', ahead: 0 });
      // the rate alone said 1 second; the place is not free before the holder's lease ends
      expect(joined.body.etaSeconds).to.be.at.least(Math.floor(freesIn) - 1);
      expect(joined.body.etaHighSeconds).to.be.within(joined.body.etaSeconds + 1, MAX_SESSION_MS / 1000);
      const status = await server.http.request('GET', path(), { token: next.token });
      expect(status.body.etaSeconds).to.be.at.least(Math.floor(freesIn) - 2);
    });

    it('when places are free, then the rate alone decides and there is no range', async () => {
      server.sales.put(show, { queue: { admitPerSecond: 0.001, maxActive: 100 } });
      const [a, b] = [await server.http.member(), await server.http.member()];
      await server.http.request('POST', path(), { token: a.token });
      const joined = await server.http.request('POST', path(), { token: b.token });
      expect(joined.body).to.include({ state: 'waiting', ahead: 1, etaSeconds: 2000 });
      expect(joined.body).not.to.have.property('etaHighSeconds');
    });
  });
}
