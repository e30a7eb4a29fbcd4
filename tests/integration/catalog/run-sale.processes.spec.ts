import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { LogInHandler } from '../../../src/application/members/log-in.handler.js';
import { SignUpHandler } from '../../../src/application/members/sign-up.handler.js';
import { ScheduleShowHandler } from '../../../src/application/catalog/schedule-show.handler.js';
import type { ShowDefinition } from '../../../src/domain/catalog/show.events.js';
import { showStreamId } from '../../../src/domain/catalog/show.decider.js';
import type { SeedMember } from '../../../src/infrastructure/cli/seed-output.js';
import { BookingProcesses } from '../booking/booking-processes.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it is true; the milliseconds it took, or Infinity after `limitMs`. */
async function msUntil(probe: () => Promise<boolean>, limitMs = 5000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await probe()) return performance.now() - started;
    await sleep(25);
  }
  return Infinity;
}

describe('running the sale over two server processes (MariaDB + Redis)', function () {
  this.timeout(120_000);
  let procs: BookingProcesses;
  let admin: { id: string; token: string };
  const A = 0;
  const B = 1;
  const admissionKeys = 'k1:run-the-sale-admission-key-of-at-least-32-characters';

  before(async function () {
    procs = await BookingProcesses.start(this, {
      store: 'mysql',
      processes: [{ env: { ADMISSION_KEYS: admissionKeys } }, { env: { ADMISSION_KEYS: admissionKeys } }],
      members: 8,
      holdTtlSeconds: 300,
    });
    const email = `organizer-${randomUUID()}@onsale.test`;
    const signedUp = await procs.container
      .resolve(SignUpHandler)
      .handle({ email, password: 'organizer password', name: 'Organizer' }, { admin: true });
    const token = await procs.container.resolve(LogInHandler).handle({ email, password: 'organizer password', ip: '127.0.0.1' });
    admin = { id: signedUp.id, token: token.accessToken };
  });

  after(async () => {
    await procs?.close();
  });

  const schedule = async (overrides: Partial<ShowDefinition>) => {
    const now = Date.now();
    const { showId } = await procs.container.resolve(ScheduleShowHandler).handle({
      title: 'Run the sale',
      venue: 'Hall',
      startsAt: new Date(now + 86_400_000).toISOString(),
      salesOpenAt: new Date(now - 60_000).toISOString(),
      maxTicketsPerMember: 2,
      currency: 'EUR',
      seating: { generalAdmission: { capacity: 100, price: 1000 } },
      queue: { enabled: false, admitPerSecond: 100, maxActive: 1000 },
      ...overrides,
    });
    return showId;
  };
  const control = (index: number, showId: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    procs.client.request(procs.servers[index]!.port, 'POST', `/api/shows/${showId}/sale/${path}`, { token: admin.token, body, headers });
  const holdOne = (index: number, member: SeedMember, showId: string) =>
    procs.send(index, member, 'POST', `/api/shows/${showId}/holds`, { quantity: 1 });
  const queueState = async (index: number, member: SeedMember, showId: string) =>
    (await procs.send(index, member, 'GET', `/api/shows/${showId}/queue`)).body?.state as string;

  it('when the organizer closes sales on one process, then the other refuses holds within a second', async () => {
    const showId = await schedule({});
    expect((await holdOne(B, procs.members[0]!, showId)).status).to.equal(201);
    const closed = await control(A, showId, 'close');
    expect(closed.status).to.equal(200);
    expect(closed.body).to.deep.include({ changed: true });
    expect(closed.body.show.state).to.equal('closed');
    const ms = await msUntil(async () => (await holdOne(B, procs.members[1]!, showId)).status === 409);
    expect(ms).to.be.below(1000);
    expect((await control(A, showId, 'close')).body.changed).to.equal(false);
  });

  it('when the organizer opens a scheduled sale now, then the other process sells within a second', async () => {
    const showId = await schedule({ salesOpenAt: new Date(Date.now() + 3600_000).toISOString() });
    expect((await holdOne(B, procs.members[2]!, showId)).status).to.equal(409);
    expect((await control(A, showId, 'open')).body.show.state).to.equal('on-sale');
    expect(await msUntil(async () => (await holdOne(B, procs.members[2]!, showId)).status === 201)).to.be.below(1000);
  });

  it('when admissions are paused on one process, then neither admits until resumed, and the resume is felt within a second', async () => {
    const showId = await schedule({ queue: { enabled: true, admitPerSecond: 50, maxActive: 100 } });
    const [early, waiter] = [procs.members[3]!, procs.members[4]!];
    await procs.send(B, early, 'POST', `/api/shows/${showId}/queue`);
    expect(await msUntil(async () => (await queueState(B, early, showId)) === 'admitted')).to.be.below(2000);
    const paused = await control(A, showId, 'pause');
    expect(paused.body.show.state).to.equal('paused');
    await sleep(1000);
    await procs.send(B, waiter, 'POST', `/api/shows/${showId}/queue`);
    await sleep(1500);
    expect(await queueState(A, waiter, showId)).to.equal('waiting');
    expect(await queueState(B, waiter, showId)).to.equal('waiting');
    expect((await procs.send(B, waiter, 'GET', `/api/shows/${showId}/queue`)).body.paused).to.equal(true);
    expect((await control(B, showId, 'resume')).body.show.state).to.equal('on-sale');
    expect(await msUntil(async () => (await queueState(A, waiter, showId)) === 'admitted')).to.be.below(1000);
  });

  it('when the admission rate and maxActive change on one process, then the other shows them within a second', async () => {
    const showId = await schedule({ queue: { enabled: true, admitPerSecond: 50, maxActive: 100 } });
    const changed = await control(A, showId, 'admission', { admitPerSecond: 7, maxActive: 3 });
    expect(changed.body.show.queue).to.include({ admitPerSecond: 7, maxActive: 3, enabled: true });
    const ms = await msUntil(async () => {
      const show = (await procs.send(B, procs.members[5]!, 'GET', `/api/shows/${showId}`)).body;
      return show.queue.admitPerSecond === 7 && show.queue.maxActive === 3;
    });
    expect(ms).to.be.below(1000);
  });

  it('when a control is used, then the log records who, when, what and the request as correlation id', async () => {
    const showId = await schedule({ queue: { enabled: true, admitPerSecond: 50, maxActive: 100 } });
    const requestId = randomUUID();
    await control(B, showId, 'pause', undefined, { 'X-Request-Id': requestId });
    const last = (await procs.store.readStream(showStreamId(showId))).at(-1)!;
    expect(last.type).to.equal('ShowSaleChanged');
    expect(last.data).to.deep.include({ by: admin.id, action: 'pause-admissions' });
    expect(Date.parse((last.data as { changedAt: string }).changedAt)).to.be.closeTo(Date.now(), 10_000);
    expect(last.metadata.correlationId).to.equal(requestId);
  });

  it('when a buyer uses a control, then 403; bad input is a 400 naming the field; a refused control is a 409', async () => {
    const showId = await schedule({});
    const buyer = procs.members[6]!;
    for (const path of ['open', 'pause', 'resume', 'close', 'admission']) {
      const reply = await procs.send(
        A,
        buyer,
        'POST',
        `/api/shows/${showId}/sale/${path}`,
        path === 'admission' ? { maxActive: 5 } : undefined,
      );
      expect(reply.status, path).to.equal(403);
      expect(reply.body.code).to.equal('AUTH.ADMIN_ONLY');
    }
    expect((await procs.send(A, buyer, 'GET', '/api/admin/shows')).status).to.equal(403);
    const bad = await control(A, showId, 'admission', { maxActive: 0, rate: 3 });
    expect(bad.status).to.equal(400);
    expect(bad.body.detail)
      .to.match(/maxActive/)
      .and.match(/rate/);
    const noQueue = await control(A, showId, 'pause');
    expect(noQueue.status).to.equal(409);
    expect(noQueue.body).to.include({ code: 'CATALOG.SALE_CONTROL_REFUSED', action: 'pause-admissions' });
    const list = await procs.client.request(procs.servers[A]!.port, 'GET', '/api/admin/shows', { token: admin.token });
    expect(list.status).to.equal(200);
    const row = (list.body as any[]).find((show) => show.id === showId);
    expect(row).to.include({ state: 'on-sale', capacity: 100 });
  });
});
