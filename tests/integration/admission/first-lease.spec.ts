import { expect } from 'chai';
import type { AdmissionGate } from '../../../src/application/ports/admission-gate.js';
import type { AdmissionLeases } from '../../../src/application/ports/admission-leases.js';
import type { AdmissionQueue } from '../../../src/application/ports/admission-queue.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { uniqueName } from '../../support/services.js';
import { startQueueServer, type QueueServer } from './queue-server.js';

const FIRST_LEASE_MS = 1000;
const LEASE_MS = 6000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first lease over HTTP on MariaDB + Redis: an admission nobody hears of is passed on; one heard of lasts. */
describe('the waiting room: a short first lease until the member is seen (MariaDB + Redis)', () => {
  let server: QueueServer;
  let show: string;
  let gate: AdmissionGate;
  let queue: AdmissionQueue;
  const path = () => `/api/shows/${show}/queue`;
  /** Polls the store without renewing anything (stats), until `done` or 10 s. */
  const activeUntil = async (done: (active: number) => boolean) => {
    const end = Date.now() + 10_000;
    while (!done((await queue.stats(show)).active) && Date.now() < end) await sleep(20);
  };

  beforeEach(async function () {
    server = await startQueueServer(this, 'mariadb', {
      settings: { lease: { leaseMs: LEASE_MS, firstLeaseMs: FIRST_LEASE_MS, maxSessionMs: 60_000 } },
    });
    gate = server.container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
    queue = server.container.resolve<AdmissionQueue>(TOKENS.AdmissionQueue);
    show = uniqueName('show');
    server.sales.put(show, { queue: { maxActive: 1 } });
  });
  afterEach(async () => server?.close());

  it('when an admitted member never shows up, then the place goes to the next member after the first lease', async () => {
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: a.token });
    await server.http.request('POST', path(), { token: b.token });
    await activeUntil((active) => active === 1);
    const [firstLeaseEnd] = await (queue as unknown as AdmissionLeases).leaseEnds(show, 1);
    const heardB = await server.http.request('GET', path(), { token: b.token, headers: { prefer: 'wait=10' } });
    expect(heardB.body.state, JSON.stringify(heardB.body)).to.equal('admitted');
    // once A's first lease ended, well before a full lease from A's admission would
    expect(Date.now()).to.be.within(firstLeaseEnd!, firstLeaseEnd! - FIRST_LEASE_MS + LEASE_MS - 1000);
    expect((await server.http.request('GET', path(), { token: a.token })).body.code).to.equal('ADMISSION.NOT_IN_QUEUE');
    expect((await queue.stats(show)).abandonedTotal).to.equal(1);
  });

  it('when the long poll tells the member, then they keep the place for the full lease without asking again', async () => {
    const [a, b] = [await server.http.member(), await server.http.member()];
    const heard = await server.http.request('POST', path(), { token: a.token, headers: { prefer: 'wait=10' } });
    expect(heard.body.state, JSON.stringify(heard.body)).to.equal('admitted');
    expect(Date.parse(heard.body.expiresAt) - Date.now()).to.be.above(LEASE_MS - 2500);
    await server.http.request('POST', path(), { token: b.token });
    await sleep(3 * FIRST_LEASE_MS);
    expect((await server.http.request('GET', path(), { token: b.token })).body.state).to.equal('waiting');
    await gate.verify(show, a.id, heard.body.admissionToken);
  });

  it('when the event stream writes the admission, then the member keeps the place after closing it', async () => {
    const [a, b] = [await server.http.member(), await server.http.member()];
    await server.http.request('POST', path(), { token: b.token });
    await server.http.request('POST', path(), { token: a.token });
    const response = await fetch(`${server.http.base}${path()}/events`, { headers: { authorization: `Bearer ${a.token}` } });
    const reader = response.body!.getReader();
    // b, ahead, never shows up: a is admitted once b's first lease ends, and told on the stream
    let text = '';
    const end = Date.now() + 10_000;
    while (!text.includes('event: admitted') && Date.now() < end) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const token = /"admissionToken":"([^"]+)"/.exec(text)?.[1];
    expect(token, text).to.be.a('string');
    await sleep(3 * FIRST_LEASE_MS);
    await gate.verify(show, a.id, token);
  });
});
