import type { RequestListener, Server } from 'node:http';
import { serveUpgradedStreams, type UpgradeParts } from './event-stream-upgrade.js';
import { hotRoutesFirst, type HotParts } from './hot-routes.js';

/**
 * Everything a server answers: the `hot` routes straight on Node's HTTP server, the event streams
 * asked for with `Upgrade: onsale-events` on the bare socket, every other request through Koa (`koa`,
 * the app's callback).
 */
export function answerRequests(server: Server, parts: HotParts & UpgradeParts, koa: RequestListener): void {
  server.on('request', hotRoutesFirst(parts, koa));
  serveUpgradedStreams(server, parts);
}
