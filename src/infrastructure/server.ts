import http, { type Server } from 'node:http';
import type { ListenOptions } from 'node:net';
import type { DependencyContainer } from 'tsyringe';
import type { Authenticator } from '../application/ports/authenticator.js';
import type { AdmissionSettings } from '../application/admission/admission-settings.js';
import { QueueStatusHandler } from '../application/admission/queue-status.handler.js';
import { TOKENS } from '../application/tokens.js';
import { DomainError } from '../domain/shared/domain-error.js';
import type { Config } from './config/config.js';
import { workerPorts } from './cluster/worker-ports.js';
import { buildContainer } from './container.js';
import { apiRoutes } from './http/api-routes.js';
import { createApp } from './http/app.js';
import type { ReadinessCheck } from './http/readiness.js';
import { installStreamDoor, type StreamDoorDeps } from './http/stream-door.js';
import { webFrontEnd } from './http/static-web.js';
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
  await lifecycle.start();
  const authenticator = container.isRegistered(TOKENS.Authenticator)
    ? container.resolve<Authenticator>(TOKENS.Authenticator)
    : noAuthenticator;
  const app = createApp({
    logger,
    authenticator,
    routes: apiRoutes(container),
    readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
    fallback: webFrontEnd(config.WEB_DIR, logger),
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });
  // A burst opens thousands of connections at once (clients, or Nginx's upstream pool): Node's
  // default accept backlog of 511 overflows, and each dropped SYN costs its client a 1–3 s retry.
  const handle = app.callback();
  const door: StreamDoorDeps | undefined =
    config.STREAM_DOOR === 'on'
      ? {
          authenticator,
          follow: (query) => container.resolve(QueueStatusHandler).follow(query),
          tokenRefreshMs: () => (container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings).tokenTtlSeconds * 1000) / 2,
        }
      : undefined;
  const server = await listen(handle, door, { port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
  // this worker alone, too: a proxy that hashes members onto workers keeps each member's streams hot in one cache
  const own = await Promise.all(
    workerPorts(config, config.ONSALE_WORKER_SLOT).map((port) =>
      listen(handle, door, { port, host: config.HOST, backlog: LISTEN_BACKLOG, exclusive: true }),
    ),
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

/** An HTTP server on `options`; with a door, its new connections pass through the door first. */
async function listen(handler: http.RequestListener, door: StreamDoorDeps | undefined, options: ListenOptions): Promise<http.Server> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  if (door) installStreamDoor(server, door);
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
