import { inject, injectable } from 'tsyringe';
import { MemberNotFound, TooManyAttempts } from '../../domain/members/members.errors.js';
import type { Clock } from '../ports/clock.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { TOKENS } from '../tokens.js';
import { LOGIN_LIMITS, passwordChangeKey } from './login-limits.js';
import { MemberStream } from './member-stream.js';
import { MembersReadModel } from './members-read-model.js';
import type { PasswordHasher } from './members.ports.js';

export interface ChangePasswordInput {
  memberId: string;
  currentPassword: string;
  newPassword: string;
}

/** Replaces the password and moves the session epoch on, which ends every earlier token. */
@injectable()
export class ChangePasswordHandler {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(TOKENS.RateLimiter) private readonly limiter: RateLimiter,
    @inject(MemberStream) private readonly stream: MemberStream,
    @inject(MembersReadModel) private readonly readModel: MembersReadModel,
  ) {}

  async handle(input: ChangePasswordInput): Promise<void> {
    const { failures, windowSeconds } = LOGIN_LIMITS.perMemberPasswordChange;
    const key = passwordChangeKey(input.memberId);
    const check = await this.limiter.peek(key, failures);
    if (!check.allowed) throw new TooManyAttempts(check.retryAfterSeconds);

    const { state } = await this.stream.load(input.memberId);
    if (state.status !== 'active') throw new MemberNotFound();
    const currentPasswordMatches = await this.hasher.verify(input.currentPassword, state.passwordHash);
    if (!currentPasswordMatches) await this.limiter.hit(key, failures, windowSeconds);
    const newPasswordHash = currentPasswordMatches ? await this.hasher.hash(input.newPassword) : '';
    const executed = await this.stream.execute(input.memberId, {
      type: 'ChangePassword',
      data: { memberId: input.memberId, currentPasswordMatches, newPasswordHash },
      metadata: { now: this.clock.now() },
    });
    await this.readModel.caughtUp(input.memberId, executed.position);
  }
}
