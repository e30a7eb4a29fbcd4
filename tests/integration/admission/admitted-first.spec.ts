import { expect } from 'chai';
import type { AdmissionSettings } from '../../../src/application/admission/admission-settings.js';
import type { AdmissionQueue } from '../../../src/application/ports/admission-queue.js';
import type { Authenticator, Principal } from '../../../src/application/ports/authenticator.js';
import type { Clock } from '../../../src/application/ports/clock.js';
import { GrantAdminHandler } from '../../../src/application/members/grant-admin.handler.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { YieldingTurns } from '../../../src/infrastructure/http/yielding-turns.js';
import { showBody } from '../booking/booking-server.js';
import { startQueueServer, type QueueServer, type Reply } from './queue-server.js';

/** The machine's time plus what the test moved it by: the clock the leases are judged by. */
class SteppedClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * A worker's event loop, modelled: every request's first step (its authentication) takes its turn
 * here. While paused, nothing runs; `runWaiting` runs those already waiting, in arrival order, each
 * costing `costMs` on the clock, as a crowd's joins cost a busy worker's loop wall time.
 */
class ModelLoop implements Authenticator {
  costMs = 0;
  private paused = false;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly real: Authenticator,
    private readonly clock: SteppedClock,
  ) {}

  async authenticate(token: string): Promise<Principal> {
    if (this.paused) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.clock.advance(this.costMs);
    return this.real.authenticate(token);
  }

  get queued(): number {
    return this.waiting.length;
  }
  pause(): void {
    this.paused = true;
  }
  runWaiting(): void {
    const now = this.waiting;
    this.waiting = [];
    now.forEach((resolve) => resolve());
  }
  resume(): void {
    this.paused = false;
    this.runWaiting();
  }
}

/** The joins' turns, counting those taken. */
class CountedTurns extends YieldingTurns {
  taken = 0;
  override turn(): Promise<() => void> {
    this.taken++;
    return super.turn();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CROWD = 30;
/** What a join costs the loop: the crowd's 30 s is past the 20 s lease of a member told at once. */
const JOIN_COST_MS = 1000;
const seats = { sections: [{ id: 'A', name: 'Stalls', rows: 1, seatsPerRow: 4, price: 5000 }] };
type Who = { id: string; token: string };

/**
 * Issue 20: admitted members refused (403 ADMISSION.INVALID) because their hold waited in a worker
 * behind a crowd's joins until the lease had ended. Joins now wait their turn (JOINS_IN_PROGRESS),
 * holds do not. MariaDB + Redis; the busy loop is a model (above), so nothing here depends on speed.
 */
describe('an admitted member goes ahead of a crowd of joins (MariaDB + Redis)', function () {
  this.timeout(90_000);
  let server: QueueServer;
  let loop: ModelLoop;
  let clock: SteppedClock;
  let turns: CountedTurns | undefined;
  let queue: AdmissionQueue;

  const start = async (context: Mocha.Context, joinsInProgress: number) => {
    clock = new SteppedClock();
    turns = joinsInProgress > 0 ? new CountedTurns(joinsInProgress) : undefined;
    server = await startQueueServer(context, 'mariadb', {
      clock,
      turns,
      authenticator: (real) => (loop = new ModelLoop(real, clock)),
    });
    queue = server.container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
  };
  afterEach(async () => {
    loop?.resume();
    await server?.close();
  });

  /** Waits (no timing asserted) until `done`, for up to 20 s. */
  const until = async (done: () => boolean | Promise<boolean>) => {
    for (const end = Date.now() + 20_000; !(await done()) && Date.now() < end;) await sleep(10);
    expect(await done(), 'the condition was never met').to.equal(true);
  };
  /** Requests the server holds, not yet running: waiting on the loop or for a join's turn. */
  const held = () => loop.queued + (turns?.queued ?? 0);

  /** A queued show with one place (maxActive 1), made through the API by an admin. */
  const admittedShow = async (): Promise<string> => {
    const admin = await adminMember();
    const created = await server.http.request('POST', '/api/shows', { token: admin.token, body: showBody(seats) });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const show = created.body.id as string;
    server.sales.put(show, { queue: { maxActive: 1 } });
    return show;
  };
  const adminMember = async (): Promise<Who> => {
    const email = `admin-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@onsale.test`;
    const password = 'correct horse battery';
    const signed = await server.http.request('POST', '/api/members', { body: { email, password, name: 'Admin' } });
    await server.container.resolve(GrantAdminHandler).handle({ email });
    for (let attempt = 0; ; attempt++) {
      const login = await server.http.request('POST', '/api/auth/login', { body: { email, password } });
      const roles = JSON.parse(Buffer.from(String(login.body.accessToken).split('.')[1]!, 'base64url').toString()).roles ?? [];
      if (roles.includes('admin') || attempt > 100) return { id: signed.body.id, token: login.body.accessToken };
      await sleep(50);
    }
  };
  const path = (show: string) => `/api/shows/${show}/queue`;
  /** Joins and polls until admitted (the poll tells the member: their full lease counts from it). */
  const admitted = async (show: string, who: Who): Promise<string> => {
    await server.http.request('POST', path(show), { token: who.token });
    let reply = await server.http.request('GET', path(show), { token: who.token });
    for (const end = Date.now() + 10_000; reply.body?.state !== 'admitted' && Date.now() < end; await sleep(50))
      reply = await server.http.request('GET', path(show), { token: who.token });
    expect(reply.body.state, JSON.stringify(reply.body)).to.equal('admitted');
    return reply.body.admissionToken as string;
  };
  const hold = (show: string, who: Who, admissionToken: string) =>
    server.http.request('POST', `/api/shows/${show}/holds`, {
      token: who.token,
      body: { seats: ['A-1-1'] },
      headers: { 'Admission-Token': admissionToken },
    });
  /** The crowd's joins, sent while the loop is paused; answered once it runs again. */
  const crowdJoins = async (show: string, crowd: Who[]): Promise<Promise<Reply>[]> => {
    const before = held();
    const joins = crowd.map((who) => server.http.request('POST', path(show), { token: who.token }));
    await until(() => held() === before + crowd.length);
    return joins;
  };
  const members = (n: number) => Promise.all(Array.from({ length: n }, () => server.http.member()));

  /**
   * An admitted member, then a crowd of joins on the paused loop, then the member's hold; the loop
   * runs what waits on it (what a busy worker would do next), and the hold is answered.
   */
  const holdBehindCrowd = async (context: Mocha.Context, joinsInProgress: number) => {
    await start(context, joinsInProgress);
    const show = await admittedShow();
    const [alice, ...crowd] = await members(1 + CROWD);
    const token = await admitted(show, alice!);
    loop.pause();
    loop.costMs = JOIN_COST_MS;
    const joins = await crowdJoins(show, crowd);
    const waitingTurns = turns?.queued ?? 0;
    const holding = hold(show, alice!, token);
    await until(() => held() === CROWD + 1);
    loop.runWaiting();
    const held1 = await holding;
    loop.resume();
    return { show, held: held1, waitingTurns, joins: await Promise.all(joins) };
  };

  it('when a crowd of joins came first, then the admitted member’s hold runs before them and is served; every join is answered after', async function () {
    const { show, held: held1, waitingTurns, joins } = await holdBehindCrowd(this, 2);
    // the loop ran the two joins in progress and the hold, not the 28 waiting their turn
    expect(waitingTurns).to.equal(CROWD - 2);
    expect(held1.status, JSON.stringify(held1.body)).to.equal(201);
    expect(joins.map((a) => a.status)).to.deep.equal(joins.map(() => 200));
    expect(joins.every((a) => a.body.state === 'waiting')).to.equal(true);
    expect((await queue.stats(show)).active).to.equal(1);
  });

  it('when joins run at once (JOINS_IN_PROGRESS=0, as before), then the hold waits behind the crowd’s past its lease and is refused', async function () {
    const { held: refused, joins } = await holdBehindCrowd(this, 0);
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('ADMISSION.INVALID');
    expect(joins.map((a) => a.status)).to.deep.equal(joins.map(() => 200));
  });

  it('when a join waits as a long poll (Prefer: wait), then it gives its turn up once parked and the next join runs', async function () {
    await start(this, 1);
    const show = await admittedShow();
    const [alice, bob, carol] = await members(3);
    await admitted(show, alice!);
    let bobAnswered = false;
    const bobWaits = server.http
      .request('POST', path(show), { token: bob!.token, headers: { prefer: 'wait=20' } })
      .finally(() => (bobAnswered = true));
    // bob's join took its turn and gave it up unanswered: parked
    await until(() => turns!.taken === 1 && turns!.running === 0 && !bobAnswered);
    const carolJoined = await server.http.request('POST', path(show), { token: carol!.token });
    expect(carolJoined.body.state).to.equal('waiting');
    expect(bobAnswered, 'carol waited for bob’s long poll to end').to.equal(false);
    await server.http.request('DELETE', path(show), { token: alice!.token });
    expect((await bobWaits).body.state).to.equal('admitted');
  });

  it('when an admitted member never comes back, then the place still passes on after the lease while joins wait their turn', async function () {
    await start(this, 2);
    const show = await admittedShow();
    const [alice, bob, ...crowd] = await members(2 + 10);
    const token = await admitted(show, alice!);
    await server.http.request('POST', path(show), { token: bob!.token });
    loop.pause();
    const joins = await crowdJoins(show, crowd);
    expect(turns!.queued).to.equal(8);
    // alice is silent past her lease: the admitter's tick gives the place to bob, the crowd still waiting
    clock.advance(server.container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings).lease.leaseMs + 1000);
    await until(async () => (await queue.stats(show)).abandonedTotal === 1);
    const { lease } = server.container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings);
    const bobNow = await queue.status(show, bob!.id, clock.now().getTime(), lease);
    expect(bobNow.state).to.equal('admitted');
    expect((await queue.stats(show)).active).to.equal(1);
    expect(turns!.queued).to.equal(8);
    loop.resume();
    const late = await hold(show, alice!, token);
    expect(late.status).to.equal(403);
    expect(late.body.code).to.equal('ADMISSION.INVALID');
    expect((await Promise.all(joins)).map((a) => a.status)).to.deep.equal(crowd.map(() => 200));
  });
});
