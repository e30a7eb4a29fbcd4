import { createServer, type Server } from 'node:http';
import type { DependencyContainer } from 'tsyringe';
import type { AdmissionSettings } from '../../../src/application/admission/admission-settings.js';
import type { Authenticator } from '../../../src/application/ports/authenticator.js';
import type { Clock } from '../../../src/application/ports/clock.js';
import type { SaleCatalog, SaleSettings } from '../../../src/application/ports/sale-catalog.js';
import { TOKENS } from '../../../src/application/tokens.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import { apiRoutes } from '../../../src/infrastructure/http/api-routes.js';
import { createApp } from '../../../src/infrastructure/http/app.js';
import { answerRequests } from '../../../src/infrastructure/http/request-listeners.js';
import type { ReadinessCheck } from '../../../src/infrastructure/http/readiness.js';
import type { YieldingTurns } from '../../../src/infrastructure/http/yielding-turns.js';
import type { Lifecycle } from '../../../src/infrastructure/lifecycle.js';
import { createLogger, type Logger } from '../../../src/infrastructure/logging/logger.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { randomIp, uniqueEmail, type Mode } from '../members/members-server.js';

/**
 * The sales the test controls. The booking module's catalogue stands in here as a map: the
 * waiting room only reads `SaleSettings` through its port, and the tests need to move the clock of
 * a sale (opening, sold out) at will.
 */
export class TestSales implements SaleCatalog {
  readonly sales = new Map<string, SaleSettings>();
  async saleSettings(showId: string): Promise<SaleSettings | undefined> {
    return this.sales.get(showId);
  }
  put(showId: string, change: Omit<Partial<SaleSettings>, 'queue'> & { queue?: Partial<SaleSettings['queue']> } = {}): SaleSettings {
    const current = this.sales.get(showId) ?? {
      showId,
      salesOpenAt: new Date(Date.now() - 60_000),
      queue: { enabled: true, admitPerSecond: 50, maxActive: 100 },
      remaining: 1000,
    };
    const next = { ...current, ...change, queue: { ...current.queue, ...change.queue } };
    this.sales.set(showId, next);
    return next;
  }
}

export interface QueueServer {
  http: QueueClient;
  port: number;
  /** The same app on a port of its own without the hot routes: every request through Koa (the reference a hot answer must equal). */
  koaOnly: QueueClient;
  container: DependencyContainer;
  sales: TestSales;
  close(): Promise<void>;
}

/** The real container and app on port 0 (MariaDB + Redis, or embedded), with test sales and settings. */
export async function startQueueServer(
  context: Mocha.Context,
  mode: Mode,
  options: {
    settings?: Partial<AdmissionSettings>;
    env?: Record<string, string>;
    logger?: Logger;
    /** The clock every handler and the admitter read (default: the machine's). */
    clock?: Clock;
    /** Wraps the real authenticator (a test's model of the event loop every request goes through). */
    authenticator?: (real: Authenticator) => Authenticator;
    /** The joins' turns, as startServer makes them from JOINS_IN_PROGRESS (default: none, joins run at once). */
    turns?: YieldingTurns;
  } = {},
): Promise<QueueServer> {
  let database: TestDatabase | undefined;
  const dataDir = tempDataDir();
  let env: Record<string, string> = { DATA_DIR: dataDir.dir };
  if (mode === 'mariadb') {
    await requireService(context, 'mysql');
    await requireService(context, 'redis');
    database = await createTestDatabase('onsale_admission');
    env = { ...env, MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL };
  }
  env = { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...options.env };
  const config = loadConfig(env);
  const logger = options.logger ?? createLogger('silent');
  const container = await buildContainer(config, logger);
  const sales = new TestSales();
  container.register(TOKENS.SaleCatalog, { useValue: sales });
  if (options.clock) container.register(TOKENS.Clock, { useValue: options.clock });
  const registered = container.resolve<AdmissionSettings>(TOKENS.AdmissionSettings);
  container.register(TOKENS.AdmissionSettings, {
    useValue: {
      ...registered,
      tickMs: 50,
      streamPollMs: 100,
      ...options.settings,
    },
  });
  const lifecycle = container.resolve<Lifecycle>(TOKENS.Lifecycle);
  await lifecycle.start();
  const parts = {
    logger,
    authenticator: (options.authenticator ?? ((real) => real))(container.resolve<Authenticator>(TOKENS.Authenticator)),
    routes: apiRoutes(container),
    readiness: container.resolve<ReadinessCheck[]>(TOKENS.ReadinessChecks),
    trustProxyHops: 1,
    turns: options.turns,
  };
  const app = createApp(parts);
  const server: Server = createServer();
  answerRequests(server, parts, app.callback());
  const koaOnly = createServer(app.callback());
  const [port, koaOnlyPort] = await Promise.all([server, koaOnly].map(listening));
  const close = async () => {
    // as the server stops (server.ts): long polls answered first, a parked one is not among the server's connections
    lifecycle.drain();
    for (const s of [server, koaOnly]) s.closeAllConnections();
    await Promise.all([server, koaOnly].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await lifecycle.stop();
    await database?.drop();
    dataDir.remove();
  };
  return {
    http: new QueueClient(`http://127.0.0.1:${port}`),
    port: port!,
    koaOnly: new QueueClient(`http://127.0.0.1:${koaOnlyPort}`),
    container,
    sales,
    close,
  };
}

async function listening(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return (server.address() as { port: number }).port;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** A small JSON client: members sign up and log in for real, then use the queue. */
export class QueueClient {
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    options: { token?: string; ip?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-forwarded-for': options.ip ?? randomIp(),
      ...options.headers,
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  async member(): Promise<{ id: string; token: string }> {
    const email = uniqueEmail();
    const password = 'correct horse battery';
    const signed = await this.request('POST', '/api/members', { body: { email, password, name: 'Queue Member' } });
    if (signed.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(signed.body)}`);
    const login = await this.request('POST', '/api/auth/login', { body: { email, password } });
    if (login.status !== 200) throw new Error(`log-in failed: ${JSON.stringify(login.body)}`);
    return { id: signed.body.id, token: login.body.accessToken };
  }
}
