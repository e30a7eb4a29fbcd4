import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadClient } from '../../../bench/load/http-client.js';
import { holdsScenario } from '../../../bench/load/scenarios/holds.js';
import { MemberPool, type ScenarioContext } from '../../../bench/load/scenarios/vu.js';
import { LoadStats } from '../../../bench/load/stats.js';
import type { SeedShow } from '../../../src/infrastructure/cli/seed-output.js';

const show: SeedShow = {
  kind: 'general',
  id: 'show-1',
  title: 'Load',
  seating: 'general',
  capacity: 1_000_000,
  seats: [],
  maxTicketsPerMember: 10_000,
  queue: { enabled: false, admitPerSecond: 1, maxActive: 1 },
};

/** The load tool's holds run against a stand-in that books whatever it is asked: who held, in order. */
async function holdsBy(ticketsPerMember: number, members: number): Promise<string[]> {
  const holders: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/holds')) {
        holders.push(String(req.headers.authorization));
        res.end(JSON.stringify({ holdId: `h${holders.length}`, seats: [] }));
      } else res.end(JSON.stringify({ quantity: 1, seats: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stats = new LoadStats();
  const client = new LoadClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats, 4);
  const pool = Array.from({ length: members }, (_, i) => ({ id: `m${i}`, email: `m${i}@example.com`, accessToken: `t${i}` }));
  const context: ScenarioContext = {
    client,
    stats,
    seed: { version: 1, createdAt: '', password: '', members: pool, shows: [show] },
    show,
    members: new MemberPool(pool),
    deadline: performance.now() + 300,
    connections: 4,
    pollMs: 1000,
    wait: 'poll',
    idempotencyKeys: true,
  };
  try {
    await holdsScenario(context, ticketsPerMember);
  } finally {
    client.close();
    server.close();
  }
  return holders;
}

describe('load harness: the holds run', () => {
  it('when each member books one ticket, then every hold before the pool wraps is a different member', async () => {
    const holders = await holdsBy(1, 10_000);
    expect(holders.length).to.be.above(20);
    expect(new Set(holders).size).to.equal(holders.length);
  });

  it('when each member books three, then a virtual user stays the same member for three holds', async () => {
    const holders = await holdsBy(3, 10_000);
    const perMember = new Map<string, number>();
    for (const holder of holders) perMember.set(holder, (perMember.get(holder) ?? 0) + 1);
    expect(holders.length).to.be.above(20);
    expect(Math.max(...perMember.values())).to.equal(3);
    expect(perMember.size).to.be.at.most(Math.ceil(holders.length / 3) + 4);
  });
});
