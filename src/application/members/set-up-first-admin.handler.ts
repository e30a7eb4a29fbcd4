import { inject, injectable } from 'tsyringe';
import { SetupDone, SetupTokenRefused } from '../../domain/members/members.errors.js';
import type { Clock } from '../ports/clock.js';
import { ClaimTaken } from '../ports/event-store.errors.js';
import type { SetupTokens } from '../ports/setup-tokens.js';
import { TOKENS } from '../tokens.js';
import type { MemberDirectory } from './members.ports.js';
import { SignUpHandler, type SignedUp, type SignUpInput } from './sign-up.handler.js';

/** Each setup link's nonce is claimed by the account it made: a link works once. */
export const SETUP_CLAIM_SCOPE = 'admin-setup-link';

/** Signs up the store's first admin through a setup link (`/setup?token=…`) printed at start-up. */
@injectable()
export class SetUpFirstAdminHandler {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.SetupTokens) private readonly tokens: SetupTokens,
    @inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory,
    @inject(SignUpHandler) private readonly signUp: SignUpHandler,
  ) {}

  /** Whether a link would work now (for the setup page, before the buyer types anything). */
  async check(token: string): Promise<void> {
    const checked = this.tokens.check(token, this.clock.now());
    if (!checked.valid) throw new SetupTokenRefused(checked.reason);
    if (await this.directory.hasAdmin()) throw new SetupDone();
  }

  async handle(input: SignUpInput & { token: string }): Promise<SignedUp> {
    const checked = this.tokens.check(input.token, this.clock.now());
    if (!checked.valid) throw new SetupTokenRefused(checked.reason);
    if (await this.directory.hasAdmin()) throw new SetupDone();
    try {
      const { email, name, password } = input;
      return await this.signUp.handle(
        { email, name, password },
        { admin: true, claims: [{ scope: SETUP_CLAIM_SCOPE, value: checked.nonce }] },
      );
    } catch (error) {
      throw error instanceof ClaimTaken && error.scope === SETUP_CLAIM_SCOPE ? new SetupTokenRefused('used') : error;
    }
  }
}
