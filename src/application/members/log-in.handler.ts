import { inject, injectable } from 'tsyringe';
import { normaliseEmail } from '../../domain/members/email-address.js';
import { InvalidCredentials, TooManyAttempts } from '../../domain/members/members.errors.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { TOKENS } from '../tokens.js';
import { addressKey, ipKey, LOGIN_LIMITS } from './login-limits.js';
import type { IssuedToken, MemberDirectory, PasswordHasher, TokenIssuer } from './members.ports.js';

export interface LogInInput {
  email: string;
  password: string;
  ip: string;
}

/**
 * Logs a member in. An unknown address costs the same hash as a wrong password and gets the same
 * answer; failures are counted per address and per IP, and past the limit every attempt is a 429.
 */
@injectable()
export class LogInHandler {
  constructor(
    @inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(TOKENS.TokenIssuer) private readonly tokens: TokenIssuer,
    @inject(TOKENS.RateLimiter) private readonly limiter: RateLimiter,
  ) {}

  async handle(input: LogInInput): Promise<IssuedToken> {
    const email = normaliseEmail(input.email);
    const keys = [
      { key: addressKey(email), ...LOGIN_LIMITS.perAddress },
      { key: ipKey(input.ip), ...LOGIN_LIMITS.perIp },
    ];
    const checks = await Promise.all(keys.map(({ key, failures }) => this.limiter.peek(key, failures)));
    const blocked = checks.filter((check) => !check.allowed);
    if (blocked.length > 0) throw new TooManyAttempts(Math.max(...blocked.map((check) => check.retryAfterSeconds)));

    const member = await this.directory.byEmail(email);
    const matches = await this.hasher.verify(input.password, member?.passwordHash);
    if (!member || !matches) {
      await Promise.all(keys.map(({ key, failures, windowSeconds }) => this.limiter.hit(key, failures, windowSeconds)));
      throw new InvalidCredentials();
    }
    await this.limiter.reset(keys[0]!.key);
    return this.tokens.issue(member);
  }
}
