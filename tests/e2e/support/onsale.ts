import { randomBytes } from 'node:crypto';
import { GrantAdminHandler } from '../../../src/application/members/grant-admin.handler.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { createTestDatabase, requireService, TEST_REDIS_URL, type TestDatabase } from '../../support/services.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { ensureWebBuilt } from './web-build.js';

export interface Reply {
  status: number;
  body: any;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Member {
  email: string;
  password: string;
  name: string;
  token: string;
}

/** The real server (MariaDB + Redis, web front end built) on a free port, and an API client for set-up. */
export class Onsale {
  private constructor(
    readonly running: RunningServer,
    private readonly database: TestDatabase,
    private readonly dataDir: { remove(): void },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.running.port}`;
  }

  static async start(context: Mocha.Context, env: Record<string, string> = {}): Promise<Onsale> {
    await requireService(context, 'mysql');
    await requireService(context, 'redis');
    await ensureWebBuilt();
    const database = await createTestDatabase('onsale_e2e');
    const dataDir = tempDataDir();
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      MYSQL_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dataDir.dir,
      ...env,
    });
    const running = await startServer(config);
    return new Onsale(running, database, dataDir);
  }

  async close(): Promise<void> {
    await this.running.close();
    await this.database.drop();
    this.dataDir.remove();
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async expect(method: string, path: string, status: number, options: RequestOptions = {}): Promise<any> {
    const reply = await this.request(method, path, options);
    if (reply.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** GETs `path` as `member` every 200 ms until `done(body)`, for at most 30 s. */
  async until(path: string, member: Member, done: (body: any) => boolean): Promise<any> {
    const end = Date.now() + 30_000;
    for (;;) {
      const body = await this.expect('GET', path, 200, { token: member.token });
      if (done(body)) return body;
      if (Date.now() > end) throw new Error(`GET ${path}: still ${JSON.stringify(body)}`);
      await sleep(200);
    }
  }

  /** A new member, signed up and logged in over the API. */
  async member(name = 'Test Buyer'): Promise<Member> {
    const email = `e2e-${randomBytes(5).toString('hex')}@example.com`;
    const password = 'correct horse battery';
    await this.expect('POST', '/api/members', 201, { body: { email, password, name } });
    const { accessToken } = await this.expect('POST', '/api/auth/login', 200, { body: { email, password } });
    return { email, password, name, token: accessToken };
  }

  /** A member with the admin role (granted as `onsale members grant-admin` does), logged in again. */
  async admin(): Promise<Member> {
    const admin = await this.member('Admin');
    await this.running.container.resolve(GrantAdminHandler).handle({ email: admin.email });
    // The role reaches tokens through the members read model: log in until it has caught up.
    for (let attempt = 0; attempt < 100; attempt++) {
      const { accessToken } = await this.expect('POST', '/api/auth/login', 200, { body: { email: admin.email, password: admin.password } });
      if (rolesOf(accessToken).includes('admin')) return { ...admin, token: accessToken };
      await sleep(50);
    }
    throw new Error('the admin role did not reach the access token');
  }

  /** A member made door staff (of `showId`, else of every show) by `admin`, logged in again until the role is in the token. */
  async staff(admin: Member, showId?: string): Promise<Member & { id: string }> {
    const door = await this.member('Door staff');
    const role = showId ? `staff:${showId}` : 'staff';
    const body = { email: door.email, ...(showId ? { showId } : {}) };
    let reply = await this.request('POST', '/api/staff', { token: admin.token, body });
    for (let attempt = 0; reply.status !== 201; attempt++) {
      // the new member reaches the members read model within moments
      if (reply.body?.code !== 'MEMBER.NOT_FOUND' || attempt >= 100) throw new Error(`granting staff: ${JSON.stringify(reply.body)}`);
      await sleep(50);
      reply = await this.request('POST', '/api/staff', { token: admin.token, body });
    }
    const id = String(reply.body.memberId);
    for (let attempt = 0; attempt < 100; attempt++) {
      const { accessToken } = await this.expect('POST', '/api/auth/login', 200, { body: { email: door.email, password: door.password } });
      if (rolesOf(accessToken).includes(role)) return { ...door, id, token: accessToken };
      await sleep(50);
    }
    throw new Error('the staff role did not reach the access token');
  }

  /** Holds and confirms `choice` ({seats} or {quantity}) for `member`: the reservation id. */
  async book(showId: string, member: Member, choice: Record<string, unknown>): Promise<string> {
    const held = await this.expect('POST', `/api/shows/${showId}/holds`, 201, { token: member.token, body: choice });
    const confirmed = await this.expect('POST', `/api/holds/${held.holdId}/confirm`, 201, { token: member.token });
    return String(confirmed.reservationId);
  }

  /** Joins a show's waiting room (a few tries, within the per-member join limit, while the catalogue catches up). */
  async joinQueue(showId: string, member: Member): Promise<any> {
    for (let attempt = 0; ; attempt++) {
      const reply = await this.request('POST', `/api/shows/${showId}/queue`, { token: member.token });
      if (reply.status === 200) return reply.body;
      if (reply.status !== 404 || attempt >= 5) throw new Error(`joining the queue: ${reply.status} ${JSON.stringify(reply.body)}`);
      await sleep(1000);
    }
  }

  /** Schedules a show and waits until the show list knows it (the read model may lag on a busy machine). */
  async createShow(admin: Member, show: Record<string, unknown>): Promise<string> {
    const created = await this.expect('POST', '/api/shows', 201, { token: admin.token, body: show });
    const id = String(created.id ?? created.showId);
    for (let attempt = 0; (await this.request('GET', `/api/shows/${id}`)).status !== 200; attempt++) {
      if (attempt >= 100) throw new Error(`show ${id} did not reach the show list`);
      await sleep(100);
    }
    return id;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rolesOf(jwt: string): string[] {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: string[] };
  return payload.roles ?? [];
}

/** A reserved-seating show on sale since a minute ago, starting in a month. */
export function reservedShow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    title: '별빛 오케스트라 — 겨울 갈라',
    venue: '세종문화회관 대극장',
    startsAt: new Date(now + 30 * 86_400_000).toISOString(),
    salesOpenAt: new Date(now - 60_000).toISOString(),
    maxTicketsPerMember: 4,
    currency: 'KRW',
    seating: {
      sections: [
        { id: 'A', name: 'A', rows: 4, seatsPerRow: 12, price: 121000 },
        { id: 'B', name: 'B', rows: 3, seatsPerRow: 16, price: 88000 },
      ],
    },
    queue: { enabled: false, admitPerSecond: 10, maxActive: 100 },
    ...overrides,
  };
}

export function generalAdmissionShow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    title: 'Jazz on the Han',
    venue: 'Nodeul Island Live House',
    startsAt: new Date(now + 45 * 86_400_000).toISOString(),
    salesOpenAt: new Date(now - 60_000).toISOString(),
    maxTicketsPerMember: 6,
    currency: 'USD',
    seating: { generalAdmission: { capacity: 300, price: 4500 } },
    queue: { enabled: false, admitPerSecond: 10, maxActive: 100 },
    ...overrides,
  };
}
