import type { ActiveMember } from '../../domain/members/member.decider.js';
import type { MemberAccount } from './members.ports.js';

/** What a member sees of themselves. */
export interface Profile {
  id: string;
  email: string;
  name: string;
  roles: string[];
  registeredAt: string;
}

export function toProfile(member: MemberAccount | ActiveMember): Profile {
  return { id: member.memberId, email: member.email, name: member.name, roles: [...member.roles], registeredAt: member.registeredAt };
}
