import type { Server } from 'node:http';
import type { DependencyContainer } from 'tsyringe';
import type { Authenticator } from '../application/ports/authenticator.js';
import { TOKENS } from '../application/tokens.js';
import { DomainError } from '../domain/shared/domain-error.js';
import type { Config } from './config/config.js';
import { buildContainer } from './container.js';
import { apiRoutes } from './http/api-routes.js';
import { createApp } from './http/app.js';
import type { ReadinessCheck } from './http/readiness.js';
import { webFrontEnd } from './http/static-web.js';
import type { Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logging/logger.js';

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
  const app = createApp({
    logger,
    authenticator: container.isRegistered(TOKENS.Authenticator) ? container.resolve<Authenticator>(TOKENS.Authenticator) : noAuthenticator,
    routes: apiRoutes(container),
    readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
    fallback: webFrontEnd(config.WEB_DIR, logger),
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });
  const server = app.listen(config.PORT, config.HOST);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, database: config.database, redis: Boolean(config.REDIS_URL) }, 'onsale listening');
  return {
    server,
    port,
    container,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await lifecycle.stop();
    },
  };
}
