import { inject, injectable } from 'tsyringe';
import type { Clock } from '../ports/clock.js';
import type { WithdrawalNotices } from '../ports/withdrawal-notices.js';
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
    @inject(TOKENS.WithdrawalNotices) private readonly notices: WithdrawalNotices,
  ) {}

  async handle(memberId: string): Promise<void> {
    let member: { email: string; name: string } | undefined;
    const executed = await this.stream.execute(
      memberId,
      { type: 'Withdraw', data: { memberId }, metadata: { now: this.clock.now() } },
      (state) => {
        member = state.status === 'active' ? { email: state.email, name: state.name } : undefined;
        return { releases: member ? [{ scope: EMAIL_CLAIM_SCOPE, value: member.email }] : [] };
      },
    );
    // The last moment the address is known; the outbox forgets it once the mail is sent.
    if (member && executed.events.length > 0) {
      await this.notices.queue({ id: `${memberId}:${executed.position}:account-withdrawn`, memberId, ...member });
    }
    await this.vault.destroyKey(memberId);
    await this.readModel.caughtUp(memberId, executed.position);
  }
}
