import { randomBytes } from 'node:crypto';
import { GrantAdminHandler } from '../../../src/application/members/grant-admin.handler.js';
import { LogInHandler } from '../../../src/application/members/log-in.handler.js';
import { SignUpHandler } from '../../../src/application/members/sign-up.handler.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import type { Logger } from '../../../src/infrastructure/logging/logger.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { modeEnvironment, type Mode } from '../../support/mode-environment.js';

export { MODES, type Mode } from '../../support/mode-environment.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** A server on port 0 in one mode, members made through the handlers, and a small JSON client. */
export class BookingServer {
  private constructor(
    readonly running: RunningServer,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(context: Mocha.Context, mode: Mode, extraEnv: Record<string, string> = {}, logger?: Logger): Promise<BookingServer> {
    const data = await modeEnvironment(context, mode, 'onsale_booking');
    const env = { ...data.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...extraEnv };
    const running = await startServer(loadConfig(env), logger);
    return new BookingServer(running, data.cleanup);
  }

  async close(): Promise<void> {
    await this.running.close();
    await this.cleanup();
  }

  /** Signs a member up and logs them in through the handlers; returns their id and access token. */
  async member(options: { admin?: boolean } = {}): Promise<{ id: string; token: string }> {
    const email = `booking-${randomBytes(6).toString('hex')}@onsale.test`;
    const password = 'correct horse battery';
    const signedUp = await this.running.container.resolve(SignUpHandler).handle({ email, password, name: 'Booker' });
    if (options.admin) await this.running.container.resolve(GrantAdminHandler).handle({ email });
    const logIn = this.running.container.resolve(LogInHandler);
    for (let attempt = 0; ; attempt++) {
      const token = await logIn.handle({ email, password, ip: '127.0.0.1' });
      // the role reaches tokens through the members read model
      if (!options.admin || rolesOf(token.accessToken).includes('admin') || attempt > 50)
        return { id: signedUp.id, token: token.accessToken };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A member made door staff (of `showId`, else of every show) by `admin` over the API, logged in until the role is in the token. */
  async staff(admin: { token: string }, showId?: string): Promise<{ id: string; token: string }> {
    const email = `staff-${randomBytes(6).toString('hex')}@onsale.test`;
    const password = 'correct horse battery';
    const { id } = await this.running.container.resolve(SignUpHandler).handle({ email, password, name: 'Door' });
    const role = showId ? `staff:${showId}` : 'staff';
    const body = { email, ...(showId ? { showId } : {}) };
    // the new member, then the role, reach the read model within moments
    for (let attempt = 0; (await this.request('POST', '/api/staff', { token: admin.token, body })).status !== 201; attempt++) {
      if (attempt > 100) throw new Error('the member never reached the read model');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const logIn = this.running.container.resolve(LogInHandler);
    for (let attempt = 0; ; attempt++) {
      const { accessToken } = await logIn.handle({ email, password, ip: '127.0.0.1' });
      if (rolesOf(accessToken).includes(role)) return { id, token: accessToken };
      if (attempt > 100) throw new Error('the role never reached the token');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`http://127.0.0.1:${this.running.port}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
}

/** A show body for POST /api/shows whose sale is open now. */
export function showBody(seating: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    title: 'The Hot Show',
    venue: 'Main Hall',
    startsAt: new Date(now + 30 * 86_400_000).toISOString(),
    salesOpenAt: new Date(now - 60_000).toISOString(),
    maxTicketsPerMember: 4,
    currency: 'EUR',
    seating,
    queue: { enabled: false, admitPerSecond: 50, maxActive: 100 },
    ...overrides,
  };
}

export const twoSections = {
  sections: [
    { id: 'A', name: 'Stalls', rows: 2, seatsPerRow: 5, price: 5000 },
    { id: 'B', name: 'Circle', rows: 1, seatsPerRow: 5, price: 3000 },
  ],
};

function rolesOf(jwt: string): string[] {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { roles?: string[] };
  return payload.roles ?? [];
}
