import { readFileSync } from 'node:fs';
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

/**
 * The first of `count` consecutive free loopback ports, none of them in `avoid` (e.g. a server's own
 * port), chosen outside the kernel's range of client (ephemeral) ports. A port that is free now but
 * is bound only later (a Galera joiner's state-transfer port, bound when it rejoins minutes after
 * the cluster started) could meanwhile be handed to any outgoing connection as its local port, and
 * the late bind would fail; a machine under load opens outgoing connections by the thousand.
 */
export async function freePortRun(count: number, avoid: number[] = []): Promise<number> {
  const [low, high] = ephemeralPorts();
  // below the range when it leaves room (Linux's default is 32768-60999), else above it
  const [from, to] = low - count > 12_000 ? [12_000, low - count] : [high + 1, 65_536 - count];
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = from + Math.floor(Math.random() * (to - from));
    if (avoid.some((port) => port >= first && port < first + count)) continue;
    if (await allFree(first, count)) return first;
  }
  throw new Error(`no ${count} consecutive free ports between ${from} and ${to}`);
}

/** The kernel's range of ephemeral ports (Linux), or the IANA range where it cannot be read. */
function ephemeralPorts(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low! > 0 && high! >= low!) return [low!, high!];
  } catch {
    // not Linux
  }
  return [49152, 65535];
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
