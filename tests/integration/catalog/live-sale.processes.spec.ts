import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { LogInHandler } from '../../../src/application/members/log-in.handler.js';
import { SignUpHandler } from '../../../src/application/members/sign-up.handler.js';
import { ScheduleShowHandler } from '../../../src/application/catalog/schedule-show.handler.js';
import { BookingProcesses } from '../booking/booking-processes.js';
import { samplesUntil } from './live-samples.js';

describe('the live dashboard over two server processes: the figures of both (MariaDB + Redis)', function () {
  this.timeout(120_000);
  let procs: BookingProcesses;
  let admin: { token: string };
  const admissionKeys = 'k1:live-dashboard-admission-key-of-at-least-32-characters';

  before(async function () {
    procs = await BookingProcesses.start(this, {
      store: 'mysql',
      processes: [{ env: { ADMISSION_KEYS: admissionKeys } }, { env: { ADMISSION_KEYS: admissionKeys } }],
      members: 4,
      holdTtlSeconds: 300,
    });
    const email = `organizer-${randomUUID()}@onsale.test`;
    await procs.container.resolve(SignUpHandler).handle({ email, password: 'organizer password', name: 'Organizer' }, { admin: true });
    admin = await procs.container
      .resolve(LogInHandler)
      .handle({ email, password: 'organizer password', ip: '127.0.0.1' })
      .then((t) => ({ token: t.accessToken }));
  });

  after(async () => {
    await procs?.close();
  });

  it('when the other process answers 404s and admits members from the waiting room, then the stream of the first shows them', async () => {
    const now = Date.now();
    const { showId } = await procs.container.resolve(ScheduleShowHandler).handle({
      title: 'Live over two processes',
      venue: 'Hall',
      startsAt: new Date(now + 86_400_000).toISOString(),
      salesOpenAt: new Date(now - 60_000).toISOString(),
      maxTicketsPerMember: 2,
      currency: 'EUR',
      seating: { generalAdmission: { capacity: 100, price: 1000 } },
      queue: { enabled: true, admitPerSecond: 100, maxActive: 1000 },
    });
    const url = `http://127.0.0.1:${procs.servers[0]!.port}/api/admin/shows/${showId}/live`;
    const { samples: first } = await samplesUntil(url, admin.token, () => true);
    const before = first[0];
    expect(before).to.include({ waitingRoom: true, etaErrorCount: 0 });
    const listening = samplesUntil(
      url,
      admin.token,
      (sample) => sample.clientErrorsTotal >= before.clientErrorsTotal + 3 && sample.etaErrorCount >= 2,
    );
    for (let i = 0; i < 3; i++) {
      const missing = await procs.client.request(procs.servers[1]!.port, 'GET', '/api/shows/no-such-show', {});
      expect(missing.status).to.equal(404);
    }
    for (const member of procs.members.slice(0, 2))
      expect((await procs.send(1, member, 'POST', `/api/shows/${showId}/queue`)).status).to.be.oneOf([200, 201]);
    const { samples, ms } = await listening;
    expect(ms, JSON.stringify(samples.at(-1))).to.be.below(10_000);
    const last = samples.at(-1);
    expect(last.clientErrorsTotal).to.be.at.least(before.clientErrorsTotal + 3);
    expect(last.etaErrorCount).to.be.at.least(2);
    expect(last.admittedTotal).to.be.at.least(2);
    // admitted at once: waited about nothing against an estimate of a second at most
    expect(last.etaErrorSumSeconds / last.etaErrorCount).to.be.within(-2, 2);
  });
});
