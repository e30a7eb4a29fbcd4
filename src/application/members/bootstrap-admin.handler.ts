import { inject, injectable } from 'tsyringe';
import { normaliseEmail } from '../../domain/members/email-address.js';
import { ADMIN_ROLE } from '../../domain/members/members.events.js';
import { TOKENS } from '../tokens.js';
import { hasCode } from './error-code.js';
import { GrantAdminHandler } from './grant-admin.handler.js';
import type { MemberDirectory, PasswordHasher } from './members.ports.js';
import { SignUpHandler } from './sign-up.handler.js';

/** What start-up did with ADMIN_EMAIL. */
export type BootstrapOutcome = 'created' | 'granted' | 'admin-already' | 'password-differs' | 'signed-up-elsewhere';

/**
 * The non-interactive first admin (ADMIN_EMAIL + ADMIN_PASSWORD): the account is created as an
 * admin when missing. An existing account gets the role only if the password matches, so that
 * whoever signed up first with that address cannot become admin through it.
 */
@injectable()
export class BootstrapAdminHandler {
  constructor(
    @inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(SignUpHandler) private readonly signUp: SignUpHandler,
    @inject(GrantAdminHandler) private readonly grant: GrantAdminHandler,
  ) {}

  async handle(input: { email: string; password: string }): Promise<BootstrapOutcome> {
    const email = normaliseEmail(input.email);
    const account = await this.directory.byEmail(email);
    if (!account) {
      try {
        await this.signUp.handle({ email, password: input.password, name: 'Admin' }, { admin: true });
        return 'created';
      } catch (error) {
        // another process of this deployment created it a moment ago
        if (hasCode(error, 'MEMBER.EMAIL_TAKEN')) return 'signed-up-elsewhere';
        throw error;
      }
    }
    if (account.roles.includes(ADMIN_ROLE)) return 'admin-already';
    if (!(await this.hasher.verify(input.password, account.passwordHash))) return 'password-differs';
    await this.grant.handle({ email });
    return 'granted';
  }
}
