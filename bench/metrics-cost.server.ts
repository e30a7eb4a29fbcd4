import 'reflect-metadata';
import http from 'node:http';
import { ScheduleShowHandler } from '../src/application/catalog/schedule-show.handler.js';
import type { Authenticator } from '../src/application/ports/authenticator.js';
import { TOKENS } from '../src/application/tokens.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import { buildContainer } from '../src/infrastructure/container.js';
import { apiRoutes } from '../src/infrastructure/http/api-routes.js';
import { createApp } from '../src/infrastructure/http/app.js';
import type { ReadinessCheck } from '../src/infrastructure/http/readiness.js';
import type { Lifecycle } from '../src/infrastructure/lifecycle.js';
import { createLogger } from '../src/infrastructure/logging/logger.js';

// The server under test for bench:metrics, in a process of its own so that its CPU is the server's
// alone: one container, two Koa apps on it (with and without request ids and HTTP metrics), one
// general-admission show. Prints {"with": port, "without": port, "showId": id} on one line.
const config = loadConfig(process.env);
const logger = createLogger(config.LOG_LEVEL);
const container = await buildContainer(config, logger);
const lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
await lifecycle.start();
const parts = {
  logger,
  authenticator: container.resolve<Authenticator>(TOKENS.Authenticator),
  routes: apiRoutes(container),
  readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
};
const servers = [createApp({ ...parts, observe: true }), createApp({ ...parts, observe: false })].map((app) =>
  http.createServer(app.callback()),
);
const ports = await Promise.all(
  servers.map(
    (server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))),
  ),
);
const now = Date.now();
const { showId } = await container.resolve(ScheduleShowHandler).handle({
  title: 'Metrics bench',
  venue: 'Bench Arena',
  startsAt: new Date(now + 86_400_000).toISOString(),
  salesOpenAt: new Date(now - 1000).toISOString(),
  maxTicketsPerMember: 100,
  currency: 'EUR',
  seating: { generalAdmission: { capacity: 1_000_000, price: 4000 } },
  queue: { enabled: false, admitPerSecond: 1000, maxActive: 100_000 },
});
console.log(JSON.stringify({ with: ports[0], without: ports[1], showId }));

process.once('SIGTERM', () => {
  for (const server of servers) server.close();
  void lifecycle.stop().finally(() => process.exit(0));
});
