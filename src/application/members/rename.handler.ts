import { inject, injectable } from 'tsyringe';
import type { ActiveMember } from '../../domain/members/member.decider.js';
import type { Clock } from '../ports/clock.js';
import { TOKENS } from '../tokens.js';
import { MemberStream } from './member-stream.js';
import { MembersReadModel } from './members-read-model.js';
import { toProfile, type Profile } from './profile.js';

/** Changes the member's display name; answers with the profile as it now is. */
@injectable()
export class RenameHandler {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(MemberStream) private readonly stream: MemberStream,
    @inject(MembersReadModel) private readonly readModel: MembersReadModel,
  ) {}

  async handle(input: { memberId: string; name: string }): Promise<Profile> {
    const executed = await this.stream.execute(input.memberId, {
      type: 'Rename',
      data: { memberId: input.memberId, name: input.name },
      metadata: { now: this.clock.now() },
    });
    await this.readModel.caughtUp(input.memberId, executed.position);
    return toProfile(executed.state as ActiveMember);
  }
}
