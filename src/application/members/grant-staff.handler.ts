import { inject, injectable } from 'tsyringe';
import { normaliseEmail } from '../../domain/members/email-address.js';
import { MemberNotFound } from '../../domain/members/members.errors.js';
import { staffRoleFor } from '../../domain/tickets/staff-role.js';
import type { Clock } from '../ports/clock.js';
import { TOKENS } from '../tokens.js';
import { MemberStream } from './member-stream.js';
import type { MemberDirectory } from './members.ports.js';

export interface StaffGranted {
  memberId: string;
  role: string;
  /** False when the member had the role (or staff of every show) already. */
  changed: boolean;
  /** Global position of the grant (0 when nothing was appended). */
  position: number;
}

/** Makes the member with this address door staff of one show, or of every show (from their next log-in on). */
@injectable()
export class GrantStaffHandler {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory,
    @inject(MemberStream) private readonly stream: MemberStream,
  ) {}

  async handle(input: { email: string; showId?: string }): Promise<StaffGranted> {
    const member = await this.directory.byEmail(normaliseEmail(input.email));
    if (!member) throw new MemberNotFound();
    const data = input.showId ? { memberId: member.memberId, showId: input.showId } : { memberId: member.memberId };
    const executed = await this.stream.execute(member.memberId, { type: 'GrantStaff', data, metadata: { now: this.clock.now() } });
    return {
      memberId: member.memberId,
      role: staffRoleFor(input.showId),
      changed: executed.events.length > 0,
      position: executed.position,
    };
  }
}
