import type { DomainEvent } from '../shared/decider.js';

/** Times are ISO-8601 strings: events are stored as JSON. */
export type MemberSignedUp = DomainEvent<
  'MemberSignedUp',
  { memberId: string; email: string; name: string; passwordHash: string; registeredAt: string }
>;
export type MemberRenamed = DomainEvent<'MemberRenamed', { memberId: string; name: string; renamedAt: string }>;
/** `sessionEpoch` grows by one with each change: tokens that carry an older epoch stop working. */
export type MemberPasswordChanged = DomainEvent<
  'MemberPasswordChanged',
  { memberId: string; passwordHash: string; sessionEpoch: number; changedAt: string }
>;
export type MemberWithdrew = DomainEvent<'MemberWithdrew', { memberId: string; withdrawnAt: string }>;
export type MemberGrantedAdmin = DomainEvent<'MemberGrantedAdmin', { memberId: string; grantedAt: string }>;

/** `role` is `staff` (every show) or `staff:<showId>`. */
export type MemberGrantedStaff = DomainEvent<'MemberGrantedStaff', { memberId: string; role: string; grantedAt: string }>;

export type MemberEvent = MemberSignedUp | MemberRenamed | MemberPasswordChanged | MemberWithdrew | MemberGrantedAdmin | MemberGrantedStaff;

export const MEMBER_EVENT_TYPES = [
  'MemberSignedUp',
  'MemberRenamed',
  'MemberPasswordChanged',
  'MemberWithdrew',
  'MemberGrantedAdmin',
  'MemberGrantedStaff',
] as const satisfies readonly MemberEvent['type'][];

/**
 * The personal data in each event: stored encrypted with the member's own key, so that destroying
 * the key on withdrawal erases it from the append-only log (crypto-shredding).
 */
export const PERSONAL_FIELDS: { [T in MemberEvent['type']]: readonly string[] } = {
  MemberSignedUp: ['email', 'name', 'passwordHash'],
  MemberRenamed: ['name'],
  MemberPasswordChanged: ['passwordHash'],
  MemberWithdrew: [],
  MemberGrantedAdmin: [],
  MemberGrantedStaff: [],
};

export const ADMIN_ROLE = 'admin';
