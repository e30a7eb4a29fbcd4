import { expect } from 'chai';
import http from 'node:http';
import { ledgerStreamId } from '../../../src/domain/booking/booking.events.js';
import type { SeedMember } from '../../../src/infrastructure/cli/seed-output.js';
import { BookingProcesses } from './booking-processes.js';

const SECTIONS = { sections: [{ id: 'A', name: 'Stalls', rows: 4, seatsPerRow: 10, price: 5000 }] };
const POOL = { generalAdmission: { capacity: 50, price: 4000 } };
const BEHIND_MS = 10_000;

/**
 * Issue 27: a refusal writes nothing, so no expected version ever checked the state it rested on,
 * and a process refused on what it remembered while another had changed the store. Each case
 * changes the state through one process and sends the command to another (`on[0]`, `on[1]`).
 */
function freshRefusalCases(processes: () => BookingProcesses, on: [number, number]) {
  let next = 0;
  const member = (): SeedMember => processes().members[next++]!;
  const holdOn = (index: number, who: SeedMember, showId: string, body: unknown) =>
    processes().send(index, who, 'POST', `/api/shows/${showId}/holds`, body);

  for (const [kind, seating, asks] of [
    ['general admission', POOL, [{ quantity: 2 }, { quantity: 1 }, { quantity: 2 }]],
    ['reserved seating', SECTIONS, [{ seats: ['A-1-1', 'A-1-2'] }, { seats: ['A-1-3'] }, { seats: ['A-1-4', 'A-1-5'] }]],
  ] as const) {
    it(`when a reservation is cancelled through one process, then the member limit in the other counts it gone (${kind})`, async () => {
      const showId = await processes().schedule(seating, 3);
      const who = member();
      const held = await holdOn(on[0], who, showId, asks[0]);
      expect(held.status, JSON.stringify(held.body)).to.equal(201);
      const confirmed = await processes().send(on[0], who, 'POST', `/api/holds/${held.body.holdId}/confirm`);
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
      expect((await holdOn(on[0], who, showId, asks[1])).status).to.equal(201);
      const limited = await holdOn(on[0], who, showId, asks[2]);
      expect(limited.body.code).to.equal('BOOKING.LIMIT_EXCEEDED');
      const cancelled = await processes().send(on[1], who, 'DELETE', `/api/reservations/${confirmed.body.reservationId}`);
      expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(204);
      const port = processes().servers[on[0]]!.port;
      const before = await metric(port, 'onsale_booking_refusals_redecided_total', 'decision="differed"');
      const again = await holdOn(on[0], who, showId, asks[2]);
      expect(again.status, JSON.stringify(again.body)).to.equal(201);
      // the other process's cancel is news only to a process of its own: then the refusal was decided again
      const redecided = (await metric(port, 'onsale_booking_refusals_redecided_total', 'decision="differed"')) - before;
      expect(redecided, 'refusals decided again, differently').to.equal(on[0] === on[1] ? 0 : 1);
    });
  }

  it('when a hold is released through one process, then its seat is for sale in the other', async () => {
    const showId = await processes().schedule(SECTIONS, 4);
    const [first, second] = [member(), member()];
    const held = await holdOn(on[0], first, showId, { seats: ['A-2-1'] });
    expect(held.status).to.equal(201);
    expect((await holdOn(on[0], second, showId, { seats: ['A-2-1'] })).body.code).to.equal('BOOKING.SEATS_UNAVAILABLE');
    expect((await processes().send(on[1], first, 'DELETE', `/api/holds/${held.body.holdId}`)).status).to.equal(204);
    const taken = await holdOn(on[0], second, showId, { seats: ['A-2-1'] });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
    expect(taken.body.seats).to.deep.equal(['A-2-1']);
  });

  it('when a hold is released through one process, then a confirm through the other is refused as released', async () => {
    const showId = await processes().schedule(SECTIONS, 4);
    const who = member();
    const held = await holdOn(on[0], who, showId, { seats: ['A-3-1'] });
    expect((await processes().send(on[1], who, 'DELETE', `/api/holds/${held.body.holdId}`)).status).to.equal(204);
    const confirm = await processes().send(on[0], who, 'POST', `/api/holds/${held.body.holdId}/confirm`);
    expect(confirm.status).to.equal(409);
    expect(confirm.body.code).to.equal('BOOKING.HOLD_RELEASED');
  });
}

/** Waits until the hold's expiry is in the store (recorded by whichever process took its deadline). */
async function expiryRecorded(processes: BookingProcesses, showId: string, who: SeedMember, holdId: string, withinMs: number) {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const ledger = await processes.store.readStream(ledgerStreamId(showId, who.id));
    if (ledger.some((e) => e.type === 'HoldExpired' && (e.data as { holdId: string }).holdId === holdId)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`hold ${holdId} did not expire within ${withinMs} ms`);
}

/** A metric's value in a server process's GET /metrics. */
async function metric(port: number, name: string, labels: string): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('refusals decided on fresh state (server processes on MariaDB + Redis, each request to a chosen one)', function () {
  this.timeout(180_000);
  let processes: BookingProcesses | undefined;

  before(async function () {
    processes = await BookingProcesses.start(this, {
      store: 'mysql',
      // the third decides with a clock ten seconds behind: it sees holds live that the others expire
      processes: [{}, {}, { preload: ['tests/support/clock-behind.ts'], env: { TEST_CLOCK_BEHIND_MS: String(BEHIND_MS) } }],
      members: 12,
      holdTtlSeconds: 5,
    });
  });
  after(async () => processes?.close());

  freshRefusalCases(() => processes!, [0, 1]);

  it('when the other process records a hold expiry, then a process whose clock still sees the hold live sells its seat', async () => {
    const showId = await processes!.schedule(SECTIONS, 4);
    const [first, second] = processes!.members.slice(-2) as [SeedMember, SeedMember];
    const held = await processes!.send(2, first, 'POST', `/api/shows/${showId}/holds`, { seats: ['A-4-1'] });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    // by the lagging clock the hold has five seconds left; by the others' it is past due
    await expiryRecorded(processes!, showId, first, held.body.holdId, 4_000);
    // an inventory part's last version also comes with its stream turn (Redis): the hold is decided on the fresh
    // part at once, without a refusal to check; with Redis away, the refusal check is what catches it
    const taken = await processes!.send(2, second, 'POST', `/api/shows/${showId}/holds`, { seats: ['A-4-1'] });
    expect(Date.now() - BEHIND_MS, 'still live by the lagging clock').to.be.below(Date.parse(held.body.expiresAt));
    expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
  });
});

describe('refusals decided on fresh state (the embedded SQLite store, one process)', function () {
  this.timeout(120_000);
  let processes: BookingProcesses | undefined;

  before(async function () {
    processes = await BookingProcesses.start(this, { store: 'sqlite', processes: [{}], members: 12, holdTtlSeconds: 2 });
  });
  after(async () => processes?.close());

  freshRefusalCases(() => processes!, [0, 0]);

  it('when a hold expires, then its seat is for sale again', async () => {
    const showId = await processes!.schedule(SECTIONS, 4);
    const [first, second] = processes!.members.slice(-2) as [SeedMember, SeedMember];
    const held = await processes!.send(0, first, 'POST', `/api/shows/${showId}/holds`, { seats: ['A-4-1'] });
    expect(held.status).to.equal(201);
    await expiryRecorded(processes!, showId, first, held.body.holdId, 6_000);
    const taken = await processes!.send(0, second, 'POST', `/api/shows/${showId}/holds`, { seats: ['A-4-1'] });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
  });
});
