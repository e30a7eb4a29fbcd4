import { inject, injectable } from 'tsyringe';
import type { Clock } from '../ports/clock.js';
import { TOKENS } from '../tokens.js';
import { MemberStream } from './member-stream.js';
import { MembersReadModel } from './members-read-model.js';
import type { PersonalDataVault } from './members.ports.js';
import { EMAIL_CLAIM_SCOPE } from './sign-up.handler.js';

/**
 * Withdraws a member: the address is released in the same append (it can sign up again), then the
 * member's key is destroyed, so the personal data in their events can never be read again. The
 * members projection also destroys the key when it applies the withdrawal, should this process
 * stop in between.
 */
@injectable()
export class WithdrawHandler {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.PersonalDataVault) private readonly vault: PersonalDataVault,
    @inject(MemberStream) private readonly stream: MemberStream,
    @inject(MembersReadModel) private readonly readModel: MembersReadModel,
  ) {}

  async handle(memberId: string): Promise<void> {
    const executed = await this.stream.execute(
      memberId,
      { type: 'Withdraw', data: { memberId }, metadata: { now: this.clock.now() } },
      (state) => ({ releases: state.status === 'active' ? [{ scope: EMAIL_CLAIM_SCOPE, value: state.email }] : [] }),
    );
    await this.vault.destroyKey(memberId);
    await this.readModel.caughtUp(memberId, executed.position);
  }
}
