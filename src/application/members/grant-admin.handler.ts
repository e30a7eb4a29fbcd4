import { inject, injectable } from 'tsyringe';
import { normaliseEmail } from '../../domain/members/email-address.js';
import { MemberNotFound } from '../../domain/members/members.errors.js';
import type { Clock } from '../ports/clock.js';
import { TOKENS } from '../tokens.js';
import { MemberStream } from './member-stream.js';
import type { MemberDirectory } from './members.ports.js';

export interface AdminGranted {
  memberId: string;
  /** False when the member was an admin already (nothing was appended). */
  changed: boolean;
  /** Global position of the grant (0 when nothing was appended). */
  position: number;
}

/** Gives the member with this address the admin role (from their next log-in on). */
@injectable()
export class GrantAdminHandler {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory,
    @inject(MemberStream) private readonly stream: MemberStream,
  ) {}

  async handle(input: { email: string }): Promise<AdminGranted> {
    const member = await this.directory.byEmail(normaliseEmail(input.email));
    if (!member) throw new MemberNotFound();
    const executed = await this.stream.execute(member.memberId, {
      type: 'GrantAdmin',
      data: { memberId: member.memberId },
      metadata: { now: this.clock.now() },
    });
    return { memberId: member.memberId, changed: executed.events.length > 0, position: executed.position };
  }
}
