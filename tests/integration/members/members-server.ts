import { randomBytes } from 'node:crypto';
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

/** A server on port 0 in one mode, and a small JSON client for it. */
export class MembersServer {
  private constructor(
    readonly running: RunningServer,
    readonly cleanup: () => Promise<void>,
    readonly env: Record<string, string>,
  ) {}

  static async start(context: Mocha.Context, mode: Mode, extraEnv: Record<string, string> = {}, logger?: Logger): Promise<MembersServer> {
    const data = await modeEnvironment(context, mode, 'onsale_members');
    const env = {
      ...data.env,
      PORT: '0',
      HOST: '127.0.0.1',
      TRUST_PROXY_HOPS: '1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...extraEnv,
    };
    const running = await startServer(loadConfig(env), logger);
    return new MembersServer(running, data.cleanup, env);
  }

  get base(): string {
    return `http://127.0.0.1:${this.running.port}`;
  }

  async close(): Promise<void> {
    await this.running.close();
    await this.cleanup();
  }

  async request(method: string, path: string, options: { body?: unknown; raw?: string; token?: string; ip?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': options.ip ?? randomIp() };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  signUp(member: { email: string; password: string; name: string }): Promise<Reply> {
    return this.request('POST', '/api/members', { body: member });
  }

  logIn(email: string, password: string, ip?: string): Promise<Reply> {
    return this.request('POST', '/api/auth/login', { body: { email, password }, ip });
  }

  /** Signs up a fresh member and logs in. */
  async member(password = 'correct horse battery'): Promise<{ email: string; password: string; name: string; id: string; token: string }> {
    const email = uniqueEmail();
    const name = `Member ${randomBytes(3).toString('hex')}`;
    const signed = await this.signUp({ email, password, name });
    if (signed.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(signed.body)}`);
    const login = await this.logIn(email, password);
    if (login.status !== 200) throw new Error(`log-in failed: ${JSON.stringify(login.body)}`);
    return { email, password, name, id: signed.body.id, token: login.body.accessToken };
  }
}

export function uniqueEmail(): string {
  return `member-${randomBytes(6).toString('hex')}@example.org`;
}

/** A fresh client address (the test server trusts one X-Forwarded-For hop), so that tests never share IP limits. */
export function randomIp(): string {
  const bytes = randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
