import 'reflect-metadata';
import Koa from 'koa';
import { createServer, type Server } from 'node:http';
import type { Authenticator } from '../src/application/ports/authenticator.js';
import { TOKENS } from '../src/application/tokens.js';
import { apiRoutes } from '../src/infrastructure/http/api-routes.js';
import { createApp } from '../src/infrastructure/http/app.js';
import type { ReadinessCheck } from '../src/infrastructure/http/readiness.js';
import { answerRequests } from '../src/infrastructure/http/request-listeners.js';
import { createLogger } from '../src/infrastructure/logging/logger.js';
import { containerWithWaitingShow } from './waiting-show.js';

// The server under test for bench:queue, in a process of its own: the real app, plus the bare
// Koa route (the yardstick) and an auth-only route (what the access token costs) on other ports.
const showId = process.env.BENCH_SHOW!;
const logger = createLogger('silent');
const container = await containerWithWaitingShow(showId, logger);
const authenticator = container.resolve<Authenticator>(TOKENS.Authenticator);
const parts = {
  logger,
  authenticator,
  routes: apiRoutes(container),
  readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
};
const app = createApp(parts);
// as src/infrastructure/server.ts serves it: the hot routes (the poll) before Koa
const appServer = createServer();
answerRequests(appServer, parts, app.callback());
// the same app with every request through Koa (the poll as it was served before the hot routes)
const koaOnly = createServer(app.callback());

// the same app with the access-token check replaced by a lookup of the member id (what the waiting room itself costs)
const knownMembers = new Map<string, string>();
const trusting: Authenticator = {
  authenticate: async (token) => {
    let memberId = knownMembers.get(token);
    if (!memberId) knownMembers.set(token, (memberId = (await authenticator.authenticate(token)).memberId));
    return { memberId, roles: [] };
  },
};
const trustingParts = { logger, authenticator: trusting, routes: apiRoutes(container), readiness: [] };
const appTrusting = createServer();
answerRequests(appTrusting, trustingParts, createApp(trustingParts).callback());

const bare = new Koa();
bare.use((ctx) => {
  ctx.body = { status: 'live' };
});
const authOnly = new Koa();
authOnly.use(async (ctx) => {
  const principal = await authenticator.authenticate(ctx.get('authorization').slice(7));
  ctx.body = { memberId: principal.memberId };
});

// below Koa: what Node's HTTP server alone costs for the same answer
const bareNode = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ status: 'live' }));
});
bareNode.keepAliveTimeout = 65_000;
const bareNodePort = await new Promise<number>((resolve) =>
  bareNode.listen(0, '127.0.0.1', () => resolve((bareNode.address() as { port: number }).port)),
);

const listen = (server: Koa | Server) =>
  new Promise<number>((resolve) => {
    const http: Server = server instanceof Koa ? server.listen(0, '127.0.0.1', ready) : server.listen(0, '127.0.0.1', ready);
    http.keepAliveTimeout = 65_000;
    function ready() {
      resolve((http.address() as { port: number }).port);
    }
  });
// the server's own CPU time, read by the bench around each row: CPU per request holds up on a shared machine where req/s swings
const cpu = createServer((_request, response) => {
  const { user, system } = process.cpuUsage();
  response.end(JSON.stringify({ micros: user + system, user }));
});
const cpuPort = await new Promise<number>((resolve) => cpu.listen(0, '127.0.0.1', () => resolve((cpu.address() as { port: number }).port)));
const ports = {
  cpu: cpuPort,
  app: await listen(appServer),
  koaOnly: await listen(koaOnly),
  appTrusting: await listen(appTrusting),
  bare: await listen(bare),
  bareNode: bareNodePort,
  authOnly: await listen(authOnly),
};
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => process.exit(0));
