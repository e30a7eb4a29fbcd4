import type { IncomingMessage } from 'node:http';

/**
 * The client's address as Koa's `ctx.ip` gives it with `proxy` on when `trustProxyHops` > 0: the
 * leftmost of the last `trustProxyHops` X-Forwarded-For entries, else the socket's peer.
 */
export function clientIp(request: IncomingMessage, trustProxyHops: number): string {
  const forwarded = trustProxyHops > 0 ? request.headers['x-forwarded-for'] : undefined;
  const ips = typeof forwarded === 'string' && forwarded ? forwarded.split(',').map((ip) => ip.trim()) : [];
  return ips.slice(-trustProxyHops)[0] || request.socket.remoteAddress || '';
}
