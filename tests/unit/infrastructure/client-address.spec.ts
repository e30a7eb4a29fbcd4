import { expect } from 'chai';
import type { Server } from 'node:http';
import { z } from 'zod';
import { createApp } from '../../../src/infrastructure/http/app.js';
import { route } from '../../../src/infrastructure/http/route.js';
import { createLogger } from '../../../src/infrastructure/logging/logger.js';

/** The address rate limits count by: never what the client wrote, only what our proxies appended. */
describe('the client address', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((server) => server.close()));

  async function addressSeen(trustProxyHops: number, forwardedFor?: string): Promise<string> {
    const app = createApp({
      logger: createLogger('silent'),
      authenticator: { authenticate: async () => ({ memberId: 'x', roles: [] }) },
      readiness: [],
      trustProxyHops,
      routes: [
        route({
          method: 'get',
          path: '/api/ip',
          summary: 'echo',
          tag: 'test',
          access: 'public',
          responses: { 200: { description: 'ip', schema: z.object({ ip: z.string() }) } },
          handle: async ({ ip }) => ({ status: 200, body: { ip } }),
        }),
      ],
    });
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    const response = await fetch(`http://127.0.0.1:${port}/api/ip`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
    return ((await response.json()) as { ip: string }).ip;
  }

  it('when no proxy is trusted, then a forged X-Forwarded-For is ignored', async () => {
    expect(await addressSeen(0, '6.6.6.6')).to.match(/127\.0\.0\.1/);
  });

  it('when one proxy is trusted, then the entry it appended counts and the forged one does not', async () => {
    expect(await addressSeen(1, '6.6.6.6, 203.0.113.9')).to.equal('203.0.113.9');
  });
});
