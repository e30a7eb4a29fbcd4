import 'reflect-metadata';
import { createServer } from 'node:http';
import { writeHeapSnapshot } from 'node:v8';
import type { QueueWatch } from '../../src/application/admission/queue-watch.js';
import type { Authenticator } from '../../src/application/ports/authenticator.js';
import { TOKENS } from '../../src/application/tokens.js';
import { apiRoutes } from '../../src/infrastructure/http/api-routes.js';
import { createApp } from '../../src/infrastructure/http/app.js';
import { answerRequests } from '../../src/infrastructure/http/request-listeners.js';
import { createLogger } from '../../src/infrastructure/logging/logger.js';
import { containerWithWaitingShow } from '../waiting-show.js';

/**
 * The server of bench:long-poll-memory: the real app (MariaDB + Redis) with one queued show that
 * admits nobody, served `hot` (as src/infrastructure/server.ts serves it) or `koa` (every request
 * through Koa). The access token is trusted as it comes (`…<n>` is member n): what a held long poll
 * costs, not a token cache. Prints its memory after a full GC every 500 ms as a JSON line.
 */
const [mode, port, showId] = [process.argv[2], Number(process.argv[3]), process.argv[4]!];
const logger = createLogger('silent');
const container = await containerWithWaitingShow(showId, logger);
const authenticator: Authenticator = {
  authenticate: async (token) => ({ memberId: `member-${token.slice(token.lastIndexOf('.') + 1)}`, roles: [] }),
};
const parts = { logger, authenticator, routes: apiRoutes(container), readiness: [] };
const app = createApp(parts);
const server = createServer();
server.keepAliveTimeout = 65_000;
if (mode === 'hot') answerRequests(server, parts, app.callback());
else server.on('request', app.callback());
server.listen({ port, host: '127.0.0.1', backlog: 4096 });
const watch = container.resolve<QueueWatch>(TOKENS.QueueWatch);

setInterval(() => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ holding: watch.holding, rss, heapUsed })}\n`);
}, 500);
// BENCH_SNAPSHOTS: the bench asks for a heap snapshot with the connections idle and with the polls held
process.on('message', (file: string) => process.send?.(writeHeapSnapshot(file)));
