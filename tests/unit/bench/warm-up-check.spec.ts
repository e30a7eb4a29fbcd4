import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOversell } from '../../../bench/load/oversell.js';
import { formatDetails } from '../../../bench/load/report.js';
import { LoadStats } from '../../../bench/load/stats.js';
import type { SeedMember, SeedShow } from '../../../src/infrastructure/cli/seed-output.js';

const show = { kind: 'general', id: 'show-1', title: 'Warm', seating: 'general', capacity: 100, seats: [] } as unknown as SeedShow;
const members = [{ accessToken: 'a' }, { accessToken: 'b' }] as SeedMember[];

/** A server that has sold `sold` tickets of the show, `perMember` of them to each member. */
async function serverThatSold(sold: number, perMember: number): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === `/api/shows/${show.id}`) return response.end(JSON.stringify({ sold }));
    if (request.url === '/api/members/me/reservations')
      return response.end(JSON.stringify([{ showId: show.id, status: 'confirmed', quantity: perMember }]));
    response.statusCode = 404;
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('load tool: a window after a warm-up on the same show', () => {
  it('when the show sold the warm-up tickets too, then the check counts them with the window’s and finds nothing wrong', async () => {
    const { url, server } = await serverThatSold(30, 15);
    try {
      const stats = new LoadStats();
      for (let i = 0; i < 20; i++) stats.booked([], 1);
      const check = await checkOversell(url, show, stats, members, 10);
      expect(check).to.include({ soldInReadModel: 30, reservedByMembers: 30, confirmedBefore: 10, oversold: 0 });
      expect(check.notes).to.deep.equal([]);
      const details = formatDetails([{ name: 'holds', target: 'node', connections: 2, stats, cpu: {}, oversell: check }]);
      expect(details).to.contain('20 confirmed to clients (+10 in the warm-up)');
    } finally {
      server.close();
    }
  });
});
