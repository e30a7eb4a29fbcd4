import { createServer } from 'node:net';

/** A free loopback port, found by binding port 0 and letting go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The first of `count` consecutive free loopback ports, none of them in `avoid` (e.g. a server's own port). */
export async function freePortRun(count: number, avoid: number[] = []): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first + count > 65535 || avoid.some((port) => port >= first && port < first + count)) continue;
    if (await allFree(first + 1, count - 1)) return first;
  }
}

async function allFree(from: number, count: number): Promise<boolean> {
  for (let port = from; port < from + count; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}
