import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { AdmissionGate } from '../../../src/application/ports/admission-gate.js';
import type { AdmissionQueue } from '../../../src/application/ports/admission-queue.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { drawOrder } from '../../../src/domain/admission/pre-queue-draw.js';
import type { Lifecycle } from '../../../src/infrastructure/lifecycle.js';
import { AdmitShowHandler } from '../../../src/application/admission/admit-show.handler.js';
import { uniqueName } from '../../support/services.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

const until = async <T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
};

describe('the waiting room over HTTP (MariaDB + Redis)', () => {
  let server: QueueServer;
  let show: string;
  let gate: AdmissionGate;
  const path = () => `/api/shows/${show}/queue`;

  beforeEach(async function () {
    server = await startQueueServer(this, 'mariadb', { settings: { lease: { leaseMs: 1500, maxSessionMs: 60_000 } } });
    gate = server.container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
    show = uniqueName('show');
  });
  afterEach(async () => server?.close());

  it('when a member joins twice, then they keep their place and see who is ahead', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    const first = await server.http.request('POST', path(), { token: b.token });
    const again = await server.http.request('POST', path(), { token: b.token });
    expect(first.status).to.equal(200);
    expect(first.body).to.deep.include({ state: 'waiting', preQueue: false, position: 2, ahead: 1 });
    expect(again.body).to.deep.equal(first.body);
    expect((await server.http.request('GET', path(), { token: b.token })).body).to.include({ position: 2 });
  });

  it('when the input or caller is wrong, then the answer is a 4xx problem', async () => {
    const a = await server.http.member();
    server.sales.put(show, { queue: { enabled: false } });
    const cases = [
      [await server.http.request('POST', '/api/shows/bad%7Bid%7D/queue', { token: a.token }), 400, 'HTTP.VALIDATION'],
      [await server.http.request('POST', path()), 401, 'AUTH.TOKEN_MISSING'],
      [await server.http.request('POST', `/api/shows/${uniqueName('nope')}/queue`, { token: a.token }), 404, 'ADMISSION.SHOW_NOT_FOUND'],
      [await server.http.request('POST', path(), { token: a.token }), 409, 'ADMISSION.QUEUE_DISABLED'],
    ] as const;
    for (const [reply, status, code] of cases) {
      expect(reply.status).to.equal(status);
      expect(reply.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(reply.body.code).to.equal(code);
    }
  });

  it('when admitted, then the token lets the member through the gate, and nobody else', async () => {
    server.sales.put(show);
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    const admitted = await until(
      () => server.http.request('GET', path(), { token: a.token }),
      (r) => r.body.state === 'admitted',
    );
    expect(admitted.body.state, JSON.stringify(admitted.body)).to.equal('admitted');
    const token = admitted.body.admissionToken as string;
    await gate.verify(show, a.id, token);
    await expectCode(gate.verify(show, a.id, undefined), 'ADMISSION.REQUIRED');
    await expectCode(gate.verify(show, b.id, token), 'ADMISSION.INVALID');
    await expectCode(gate.verify(show, a.id, token.slice(0, -2) + 'xx'), 'ADMISSION.INVALID');
    await expectCode(gate.verify(uniqueName('other'), a.id, token), undefined);
    await server.http.request('DELETE', path(), { token: a.token });
    await expectCode(gate.verify(show, a.id, token), 'ADMISSION.INVALID');
  });

  it('when a show has its queue disabled, then holds go straight through', async () => {
    server.sales.put(show, { queue: { enabled: false } });
    await gate.verify(show, 'anyone', undefined);
  });

  it('when an admitted member goes silent, then the lease ends and the next member is admitted', async () => {
    server.sales.put(show, { queue: { maxActive: 1 } });
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    await server.http.request('POST', path(), { token: b.token });
    const waitingB = await server.http.request('GET', path(), { token: b.token });
    const admittedA = await until(
      () => server.http.request('GET', path(), { token: a.token }),
      (r) => r.body.state === 'admitted',
    );
    expect(admittedA.body.state, JSON.stringify(admittedA.body)).to.equal('admitted');
    expect(waitingB.body.state).to.equal('waiting');
    const admittedB = await until(
      () => server.http.request('GET', path(), { token: b.token }),
      (r) => r.body.state === 'admitted',
    );
    expect(admittedB.body.state, JSON.stringify(admittedB.body)).to.equal('admitted');
    expect((await server.http.request('GET', path(), { token: a.token })).body.code).to.equal('ADMISSION.NOT_IN_QUEUE');
    // the tick reports its figures once it has recorded the admissions: a moment after B sees theirs
    const metrics = await until(
      async () => (await fetch(`${server.http.base}/metrics`)).text(),
      (text) => text.includes(`onsale_queue_admitted_total{show="${show}"} 2`),
    );
    expect(metrics).to.contain(`onsale_queue_abandoned_total{show="${show}"} 1`);
    expect(metrics).to.contain(`onsale_queue_active{show="${show}"} 1`);
    expect(metrics).to.contain(`onsale_queue_admitted_total{show="${show}"} 2`);
    expect(metrics).to.match(/onsale_queue_eta_error_seconds_count \d+/);
  });

  it('when a member leaves, then they are no longer in the queue', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const a = await server.http.member();
    await server.http.request('POST', path(), { token: a.token });
    expect((await server.http.request('DELETE', path(), { token: a.token })).status).to.equal(204);
    const reply = await server.http.request('GET', path(), { token: a.token });
    expect(reply.status).to.equal(404);
    expect(reply.body.code).to.equal('ADMISSION.NOT_IN_QUEUE');
  });

  it('when a member joins too often, then 429 with Retry-After', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const a = await server.http.member();
    const replies = [];
    for (let i = 0; i < 11; i++) replies.push(await server.http.request('POST', path(), { token: a.token }));
    expect(replies.slice(0, 10).every((r) => r.status === 200)).to.equal(true);
    expect(replies[10]!.status).to.equal(429);
    expect(replies[10]!.body.code).to.equal('ADMISSION.TOO_MANY_JOINS');
    expect(Number(replies[10]!.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  it('when sales open, then the pre-queue is admitted in the drawn order, recorded as events', async () => {
    server.sales.put(show, { salesOpenAt: new Date(Date.now() + 3_600_000), queue: { admitPerSecond: 1, maxActive: 100 } });
    const members = [];
    for (let i = 0; i < 5; i++) members.push(await server.http.member());
    for (const m of members) {
      const reply = await server.http.request('POST', path(), { token: m.token });
      expect(reply.body).to.include({ state: 'waiting', preQueue: true, position: null });
    }
    server.sales.put(show, { salesOpenAt: new Date(Date.now() - 1000), queue: { admitPerSecond: 1000 } });
    const events = server.container.resolve<EventStore>(TOKENS.EventStore);
    const stream = await until(
      () => events.readStream(`admission-${show}`),
      (e) => e.some((x) => x.type === 'MembersAdmitted'),
    );
    const drawn = stream.find((e) => e.type === 'PreQueueDrawn')!.data as { seed: string; count: number };
    expect(drawn.count).to.equal(5);
    const expected = drawOrder(
      members.map((m) => m.id),
      drawn.seed,
    );
    const admittedInOrder = stream
      .filter((e) => e.type === 'MembersAdmitted')
      .flatMap((e) => (e.data as { memberIds: string[] }).memberIds);
    expect(admittedInOrder).to.deep.equal(expected);
  });

  it('when the draw is audited, then its commitment is public before the opening and the seed revealed after matches it', async () => {
    server.sales.put(show, { salesOpenAt: new Date(Date.now() + 3_600_000) });
    const member = await server.http.member();
    await server.http.request('POST', path(), { token: member.token });
    const draw = () => server.http.request('GET', `${path()}/draw`);
    const before = await until(draw, (r) => r.body.commitment !== null);
    expect(before.status).to.equal(200);
    expect(before.body).to.include({ drawn: false, seed: null, entrants: null });
    expect(before.body.commitment).to.match(/^[0-9a-f]{64}$/);
    server.sales.put(show, { salesOpenAt: new Date(Date.now() - 1000) });
    const after = await until(draw, (r) => r.body.drawn);
    expect(after.body).to.include({ commitment: before.body.commitment, entrants: 1, seedMatchesCommitment: true });
    expect(createHash('sha256').update(after.body.seed).digest('hex')).to.equal(before.body.commitment);
    expect(after.body.entrantsDigest).to.equal(createHash('sha256').update(member.id).digest('hex'));
  });

  it('when the show sells out, then everyone waiting is told it is closed', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const a = await server.http.member();
    await server.http.request('POST', path(), { token: a.token });
    server.sales.put(show, { remaining: 0 });
    const reply = await until(
      () => server.http.request('GET', path(), { token: a.token }),
      (r) => r.body.state === 'closed',
    );
    expect(reply.body).to.deep.equal({ state: 'closed', reason: 'sold_out' });
  });

  it('when a member joins with Prefer: wait, then the answer comes once they are admitted', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 2 } });
    const a = await server.http.member();
    const joined = await server.http.request('POST', path(), { token: a.token, headers: { prefer: 'wait=10' } });
    expect(joined.status).to.equal(200);
    expect(joined.body.state, JSON.stringify(joined.body)).to.equal('admitted');
    expect(joined.headers.get('preference-applied')).to.equal('wait=10');
    await gate.verify(show, a.id, joined.body.admissionToken);
  });

  it('when the wait runs out before admission, then the long poll answers where the member stands', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    await server.http.request('POST', path(), { token: b.token });
    const started = Date.now();
    const polled = await server.http.request('GET', path(), { token: b.token, headers: { prefer: 'wait=1' } });
    expect(polled.body).to.include({ state: 'waiting', position: 2 });
    expect(Date.now() - started).to.be.within(600, 5000);
    const malformed = await server.http.request('GET', path(), { token: b.token, headers: { prefer: 'wait=soon' } });
    expect(malformed.headers.get('preference-applied')).to.equal(null);
  });

  it('when an admitted member is done, then their place goes to the next member at once, not at the next tick', async function () {
    await server.close();
    server = await startQueueServer(this, 'mariadb', { settings: { tickMs: 60_000 } });
    gate = server.container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
    server.sales.put(show, { queue: { admitPerSecond: 100, maxActive: 1 } });
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    await server.http.request('POST', path(), { token: b.token });
    // the admitter ticks once a minute here: the first admission is driven by hand
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.container.resolve(AdmitShowHandler).handle(show);
    const admitted = await server.http.request('GET', path(), { token: a.token });
    expect(admitted.body.state).to.equal('admitted');
    const admission = (await gate.verify(show, a.id, admitted.body.admissionToken))!;
    const waited = server.http.request('GET', path(), { token: b.token, headers: { prefer: 'wait=20' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await gate.release(show, a.id, admission);
    const answer = await waited;
    expect(answer.body.state, JSON.stringify(answer.body)).to.equal('admitted');
    expect(Date.now() - started).to.be.below(3000);
    await gate.verify(show, b.id, answer.body.admissionToken);
  });

  it('when a member joins an open line that nobody waits in, then the join itself admits them, with no tick, within rate and room', async function () {
    await server.close();
    server = await startQueueServer(this, 'mariadb', { settings: { tickMs: 60_000 } });
    gate = server.container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
    server.sales.put(show, { queue: { admitPerSecond: 100, maxActive: 2 } });
    const [first, a, b, c] = [
      await server.http.member(),
      await server.http.member(),
      await server.http.member(),
      await server.http.member(),
    ];
    // the line's bucket starts empty: its first member waits, leaves, and the tokens fill in 50 ms
    expect((await server.http.request('POST', path(), { token: first.token })).body).to.include({ state: 'waiting', ahead: 0 });
    await server.http.request('DELETE', path(), { token: first.token });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const joined = [];
    for (const member of [a, b, c]) joined.push(await server.http.request('POST', path(), { token: member.token }));

    expect(joined.map((reply) => reply.body.state)).to.deep.equal(['admitted', 'admitted', 'waiting']);
    expect(joined[2]!.body).to.include({ ahead: 0 });
    await gate.verify(show, a.id, joined[0]!.body.admissionToken);
    await gate.verify(show, b.id, joined[1]!.body.admissionToken);
    const events = server.container.resolve<EventStore>(TOKENS.EventStore);
    expect((await server.container.resolve(AdmitShowHandler).handle(show)).recorded, 'recorded by the next tick').to.equal(2);
    const admitted = (await events.readStream(`admission-${show}`)).filter((e) => e.type === 'MembersAdmitted');
    expect(admitted.flatMap((e) => (e.data as { memberIds: string[] }).memberIds)).to.deep.equal([a.id, b.id]);
  });

  it('when the server drains for shutdown, then a long poll is answered at once with where the member stands', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 0.001 } });
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    const started = Date.now();
    const polled = server.http.request('POST', path(), { token: b.token, headers: { prefer: 'wait=30' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.container.resolve<Lifecycle>(TOKENS.Lifecycle).drain();
    expect((await polled).body).to.include({ state: 'waiting', position: 2 });
    expect(Date.now() - started).to.be.below(5000);
  });

  it('when eight members listen while the line moves, then each hears its turn, in join order, with never more than maxActive in', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 50, maxActive: 1 } });
    const members = [];
    for (let i = 0; i < 8; i++) members.push(await server.http.member());
    for (const member of members) await server.http.request('POST', path(), { token: member.token });
    const queue = server.container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
    let maxActive = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        maxActive = Math.max(maxActive, (await queue.stats(show)).active);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const heard: string[] = [];
    const activeAtTurn: number[] = [];
    let toldPosition = 0;
    await Promise.all(
      members.map(async (member) => {
        const response = await fetch(`${server.http.base}${path()}/events`, { headers: { authorization: `Bearer ${member.token}` } });
        const reader = response.body!.getReader();
        let text = '';
        for (const end = Date.now() + 30_000; !text.includes('event: admitted') && Date.now() < end;) {
          text += new TextDecoder().decode((await reader.read()).value);
        }
        await reader.cancel();
        if (/^retry: 5000\n\nevent: position\n/.test(text)) toldPosition++;
        heard.push(member.id);
        // while this member holds its place, exactly one is in (the sampler below may miss a short turn)
        activeAtTurn.push((await queue.stats(show)).active);
        // done shopping: the place goes to the next
        await server.http.request('DELETE', path(), { token: member.token });
      }),
    );
    watching = false;
    await watcher;
    expect(heard).to.deep.equal(members.map((member) => member.id));
    expect(activeAtTurn).to.deep.equal(members.map(() => 1));
    expect(maxActive).to.be.at.most(1);
    // those not admitted before their stream opened were told their position first
    expect(toldPosition).to.be.at.least(members.length - 2);
  });

  it('when listening to the events, then position comes first and admission follows', async () => {
    server.sales.put(show, { queue: { admitPerSecond: 2 } });
    const a = await server.http.member();
    await server.http.request('POST', path(), { token: a.token });
    const response = await fetch(`${server.http.base}${path()}/events`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(response.headers.get('content-type')).to.match(/text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const end = Date.now() + 15_000;
    while (!text.includes('event: admitted') && Date.now() < end) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text.indexOf('event: position'), text).to.be.greaterThan(-1);
    expect(text.indexOf('event: admitted')).to.be.greaterThan(text.indexOf('event: position'));
    expect(text).to.match(/"admissionToken":"[^"]+"/);
  });
});

async function expectCode(promise: Promise<unknown>, code: string | undefined): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as { code?: string }).code).to.equal(code);
    return;
  }
  expect(undefined, 'expected an error').to.equal(code);
}

describe('the waiting room over HTTP (embedded, in-process queue)', () => {
  let server: QueueServer;
  afterEach(async () => server?.close());

  it('when a member joins without Redis, then the in-process queue admits them and the gate accepts the token', async function () {
    server = await startQueueServer(this, 'embedded');
    const show = uniqueName('show');
    server.sales.put(show);
    const a = await server.http.member();
    const joined = await server.http.request('POST', `/api/shows/${show}/queue`, { token: a.token });
    expect(joined.body).to.include({ state: 'waiting', position: 1 });
    const admitted = await until(
      () => server.http.request('GET', `/api/shows/${show}/queue`, { token: a.token }),
      (r) => r.body.state === 'admitted',
    );
    expect(admitted.body.state, JSON.stringify(admitted.body)).to.equal('admitted');
    await server.container.resolve<AdmissionGate>(TOKENS.AdmissionGate).verify(show, a.id, admitted.body.admissionToken);
  });
});
