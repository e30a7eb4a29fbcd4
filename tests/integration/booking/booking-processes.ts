import type { DependencyContainer } from 'tsyringe';
import { ScheduleShowHandler } from '../../../src/application/catalog/schedule-show.handler.js';
import type { EventStore } from '../../../src/application/ports/event-store.js';
import { TOKENS } from '../../../src/application/tokens.js';
import type { ShowDefinition } from '../../../src/domain/catalog/show.events.js';
import { seedSale } from '../../../src/infrastructure/cli/seed.command.js';
import type { SeedMember } from '../../../src/infrastructure/cli/seed-output.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { buildContainer } from '../../../src/infrastructure/container.js';
import type { Knex } from '../../../src/infrastructure/database/knex.js';
import { JsonClient, startServerProcess, type JsonReply, type ServerProcess } from '../../support/server-process.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';

export interface ProcessOptions {
  /** Modules imported before the server (e.g. tests/support/clock-behind.ts). */
  preload?: string[];
  env?: Record<string, string>;
}

export interface BookingProcessesOptions {
  /** MariaDB + Redis, or the embedded SQLite store without Redis. */
  store: 'mysql' | 'sqlite';
  processes: ProcessOptions[];
  members: number;
  holdTtlSeconds: number;
}

/** Server processes on one store, seeded members, and this test's own container to schedule shows and read events. */
export class BookingProcesses {
  readonly client = new JsonClient(64);

  private constructor(
    readonly servers: ServerProcess[],
    readonly members: SeedMember[],
    readonly container: DependencyContainer,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(context: Mocha.Context, options: BookingProcessesOptions): Promise<BookingProcesses> {
    const data = tempDataDir();
    let database: TestDatabase | undefined;
    if (options.store === 'mysql') {
      await requireService(context, 'mysql');
      await requireService(context, 'redis');
      database = await createTestDatabase('onsale_fresh');
    }
    const env: Record<string, string> = {
      ...(database ? { MYSQL_URL: database.url, REDIS_URL: TEST_REDIS_URL } : {}),
      DATA_DIR: data.dir,
      JWT_SECRET: 'fresh-refusals-test-secret-of-at-least-32-characters',
      HOLD_TTL_SECONDS: String(options.holdTtlSeconds),
    };
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    const { members } = await seedSale(config, { members: options.members, shows: [], concurrency: 8 });
    const servers = await Promise.all(
      options.processes.map((each) => startServerProcess({ ...env, ...each.env }, 60_000, each.preload ?? [])),
    );
    const container = await buildContainer(config);
    return new BookingProcesses(servers, members, container, async () => {
      await database?.drop();
      data.remove();
    });
  }

  get store(): EventStore {
    return this.container.resolve<EventStore>(TOKENS.EventStore);
  }

  /** A show on sale since a minute ago (so that a process whose clock lags sees it open), without a queue. */
  async schedule(seating: ShowDefinition['seating'], maxTicketsPerMember: number): Promise<string> {
    const now = Date.now();
    const { showId } = await this.container.resolve(ScheduleShowHandler).handle({
      title: 'Fresh refusals',
      venue: 'Hall',
      startsAt: new Date(now + 86_400_000).toISOString(),
      salesOpenAt: new Date(now - 60_000).toISOString(),
      maxTicketsPerMember,
      currency: 'EUR',
      seating,
      queue: { enabled: false, admitPerSecond: 100, maxActive: 1000 },
    });
    return showId;
  }

  /** One request to server `index` as `member`. */
  send(index: number, member: SeedMember, method: string, path: string, body?: unknown): Promise<JsonReply> {
    return this.client.request(this.servers[index]!.port, method, path, { token: member.accessToken, body });
  }

  async close(): Promise<void> {
    this.client.close();
    await Promise.all(this.servers.map((server) => server.stop()));
    await this.store.close();
    await this.container.resolve<Knex>(TOKENS.Knex).destroy();
    if (this.container.isRegistered(TOKENS.Redis)) (this.container.resolve(TOKENS.Redis) as { disconnect(): void }).disconnect();
    await this.cleanup();
  }
}
