import http, { type Server } from 'node:http';
import type { ListenOptions } from 'node:net';
import type { DependencyContainer } from 'tsyringe';
import type { Authenticator } from '../application/ports/authenticator.js';
import { TOKENS } from '../application/tokens.js';
import { DomainError } from '../domain/shared/domain-error.js';
import type { Config } from './config/config.js';
import { startsHere } from './cluster/process-role.js';
import { bookingPorts, workerPorts } from './cluster/worker-ports.js';
import { buildContainer } from './container.js';
import { apiRoutes } from './http/api-routes.js';
import { createApp, type AppParts } from './http/app.js';
import type { ReadinessCheck } from './http/readiness.js';
import { answerRequests } from './http/request-listeners.js';
import { webFrontEnd } from './http/static-web.js';
import { YieldingTurns } from './http/yielding-turns.js';
import type { Lifecycle } from './lifecycle.js';
import { announceFirstAdmin } from './members/first-admin-notice.js';
import { createLogger, type Logger } from './logging/logger.js';

/** Pending connections the kernel queues for us (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 4096;

export interface RunningServer {
  server: Server;
  port: number;
  container: DependencyContainer;
  /** Stops accepting, finishes in-flight requests, stops background work, closes stores. */
  close(): Promise<void>;
}

const noAuthenticator: Authenticator = {
  authenticate: async () => {
    throw new DomainError('unauthenticated', 'AUTH.UNAVAILABLE', 'Sign-in is not available');
  },
};

/** Builds the container, starts background work and listens on `config.PORT`. */
export async function startServer(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningServer> {
  const container = await buildContainer(config, logger);
  const lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
  await lifecycle.start((name) => startsHere(config, name));
  const parts: AppParts = {
    logger,
    authenticator: container.isRegistered(TOKENS.Authenticator) ? container.resolve<Authenticator>(TOKENS.Authenticator) : noAuthenticator,
    routes: apiRoutes(container),
    readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
    fallback: webFrontEnd(config.WEB_DIR, logger),
    trustProxyHops: config.TRUST_PROXY_HOPS,
    turns: new YieldingTurns(config.JOINS_IN_PROGRESS),
  };
  const app = createApp(parts);
  // every server also serves the hot routes (queue polls) before Koa, and the event streams asked
  // for with Upgrade: onsale-events off Node's HTTP parser
  const callback = app.callback();
  const handle = (server: http.Server) => answerRequests(server, parts, callback);
  // A burst opens thousands of connections at once (clients, or Nginx's upstream pool): Node's
  // default accept backlog of 511 overflows, and each dropped SYN costs its client a 1–3 s retry.
  const server = await listen(handle, { port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
  // this worker alone, too: a proxy that hashes members onto workers keeps each member's streams hot in one cache
  const own = await Promise.all(
    // the background process takes no requests of a proxy's (it listens on PORT only, for health and
    // metrics); a waiting-room process has no booking door (admitted members book on the workers)
    (config.ONSALE_ROLE === 'background'
      ? []
      : [
          ...workerPorts(config, config.ONSALE_WORKER_SLOT),
          ...(config.ONSALE_ROLE === 'waiting-room' ? [] : bookingPorts(config, config.ONSALE_WORKER_SLOT)),
        ]
    ).map((port) => listen(handle, { port, host: config.HOST, backlog: LISTEN_BACKLOG, exclusive: true })),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { port, database: config.database, redis: config.REDIS_CLUSTER_NODES ? 'cluster' : Boolean(config.REDIS_URL) },
    'onsale listening',
  );
  await announceFirstAdmin(container, config, port, logger);
  return {
    server,
    port,
    container,
    close: async () => {
      lifecycle.drain();
      await Promise.all([server, ...own].map(closeServer));
      await lifecycle.stop();
    },
  };
}

async function listen(handle: (server: http.Server) => void, options: ListenOptions): Promise<http.Server> {
  const server = http.createServer();
  handle(server);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
    server.listen(options);
  });
  return server;
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
