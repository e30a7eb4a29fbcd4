import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadClient } from '../../../bench/load/http-client.js';
import { flashSaleScenario } from '../../../bench/load/scenarios/flash-sale.js';
import { MemberPool, type ScenarioContext } from '../../../bench/load/scenarios/vu.js';
import { LoadStats } from '../../../bench/load/stats.js';
import type { SeedShow } from '../../../src/infrastructure/cli/seed-output.js';

const show: SeedShow = {
  kind: 'general-queue',
  id: 'show-1',
  title: 'Load',
  seating: 'general',
  capacity: 1_000_000,
  seats: [],
  maxTicketsPerMember: 10_000,
  queue: { enabled: true, admitPerSecond: 1000, maxActive: 1000 },
};

const answer = (res: http.ServerResponse, status: number, body?: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};

/**
 * A stand-in for the waiting room with the server's rule: one lease per member, admitted after a
 * wait of 0–20 ms, ended by the member's confirm; a hold without a lease is 403 ADMISSION.INVALID.
 * A join with `{hold}` is answered with the hold placed, or (`refuseJoinHolds`) with a holdProblem.
 */
function waitingRoom(counts: { holds: number; joinHolds: number }, refuseJoinHolds = false): http.Server {
  const leases = new Set<string>();
  const holders = new Map<string, string>();
  const place = (member: string) => {
    const holdId = `h${holders.size}`;
    holders.set(holdId, member);
    return { holdId, seats: [] };
  };
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const member = String(req.headers.authorization);
      const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      if (req.method === 'POST' && req.url?.endsWith('/queue')) {
        setTimeout(() => {
          leases.add(member);
          const admitted = { state: 'admitted', admissionToken: member, expiresAt: new Date(Date.now() + 20_000).toISOString() };
          if (!body?.hold) return answer(res, 200, admitted);
          counts.joinHolds++;
          const extra = refuseJoinHolds ? { holdProblem: { status: 503, code: 'BOOKING.BUSY' } } : { hold: place(member) };
          answer(res, 200, { ...admitted, ...extra });
        }, Math.random() * 20);
      } else if (req.url?.endsWith('/holds')) {
        counts.holds++;
        if (!leases.has(member)) return answer(res, 403, { code: 'ADMISSION.INVALID' });
        answer(res, 201, place(member));
      } else if (req.url?.endsWith('/confirm')) {
        leases.delete(holders.get(req.url.split('/')[3]!)!);
        answer(res, 201, { quantity: 1, seats: [] });
      } else answer(res, 204);
    });
  });
}

async function flashSale(
  members: number,
  users: number,
  options: { holdAtAdmission?: boolean; refuseJoinHolds?: boolean } = {},
  counts = { holds: 0, joinHolds: 0 },
): Promise<LoadStats> {
  const server = waitingRoom(counts, options.refuseJoinHolds);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stats = new LoadStats();
  const client = new LoadClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats, users);
  const pool = Array.from({ length: members }, (_, i) => ({ id: `m${i}`, email: `m${i}@example.com`, accessToken: `t${i}` }));
  const context: ScenarioContext = {
    client,
    stats,
    seed: { version: 1, createdAt: '', password: '', members: pool, shows: [show] },
    show,
    members: new MemberPool(pool),
    deadline: performance.now() + 400,
    connections: users,
    pollMs: 1000,
    wait: 'poll',
    idempotencyKeys: true,
    holdAtAdmission: options.holdAtAdmission,
  };
  try {
    await flashSaleScenario(context);
  } finally {
    client.close();
    server.close();
  }
  return stats;
}

describe('load harness: the flash sale', () => {
  it('when the pool wraps round while members wait, then no two virtual users act as one member and no admitted hold is refused', async () => {
    const stats = await flashSale(5, 4);
    expect(stats.bookings).to.be.above(20);
    expect(stats.admissionsHeard).to.equal(stats.bookings);
    expect(stats.admittedRefused).to.deep.equal({ inTime: 0, late: 0 });
  });

  it('when joins carry the hold (hold at admission), then admitted members confirm it without a hold request', async () => {
    const counts = { holds: 0, joinHolds: 0 };
    const stats = await flashSale(5, 4, { holdAtAdmission: true }, counts);
    expect(stats.bookings).to.be.above(20);
    expect(counts.holds).to.equal(0);
    expect(counts.joinHolds).to.be.at.least(stats.bookings);
  });

  it('when the join answers a holdProblem, then the virtual user holds as usual', async () => {
    const counts = { holds: 0, joinHolds: 0 };
    const stats = await flashSale(5, 4, { holdAtAdmission: true, refuseJoinHolds: true }, counts);
    expect(stats.bookings).to.be.above(20);
    expect(counts.holds).to.equal(stats.bookings);
    expect(stats.admittedRefused).to.deep.equal({ inTime: 0, late: 0 });
  });

  it('when a member is handed back, then the pool hands out only members nobody acts as', () => {
    const pool = new MemberPool([1, 2, 3].map((i) => ({ id: `m${i}`, email: '', accessToken: '' })));
    const first = pool.takeAlone();
    const second = pool.takeAlone();
    const third = pool.takeAlone(first);
    expect([first.id, second.id, third.id]).to.deep.equal(['m1', 'm2', 'm3']);
    expect(pool.takeAlone(third).id).to.equal('m1');
    expect(() => {
      pool.takeAlone();
      pool.takeAlone();
    }).to.throw(/in use/);
  });
});
