import type { Decider } from '../shared/decider.js';
import { MemberAlreadyExists, MemberNotFound, CurrentPasswordWrong, TooManyShowRoles } from './members.errors.js';
import { STAFF_ROLE, staffRoleFor } from '../tickets/staff-role.js';
import type { ChangePassword, GrantAdmin, GrantStaff, MemberCommand, Rename, SignUp, Withdraw } from './members.commands.js';
import { ADMIN_ROLE, type MemberEvent } from './members.events.js';

export type MemberState =
  | { status: 'none' }
  | {
      status: 'active';
      memberId: string;
      email: string;
      name: string;
      passwordHash: string;
      roles: string[];
      sessionEpoch: number;
      registeredAt: string;
    }
  | { status: 'withdrawn'; memberId: string };

export type ActiveMember = Extract<MemberState, { status: 'active' }>;

export const memberDecider: Decider<MemberState, MemberCommand, MemberEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};

function decide(command: MemberCommand, state: MemberState): MemberEvent[] {
  switch (command.type) {
    case 'SignUp':
      return signUp(command, state);
    case 'Rename':
      return rename(command, active(state));
    case 'ChangePassword':
      return changePassword(command, active(state));
    case 'Withdraw':
      return withdraw(command, active(state));
    case 'GrantAdmin':
      return grantAdmin(command, active(state));
    case 'GrantStaff':
      return grantStaff(command, active(state));
    default: {
      const never: never = command;
      throw new Error(`Unknown command ${JSON.stringify(never)}`);
    }
  }
}

function signUp({ data, metadata }: SignUp, state: MemberState): MemberEvent[] {
  if (state.status !== 'none') throw new MemberAlreadyExists(data.memberId);
  return [{ type: 'MemberSignedUp', data: { ...data, registeredAt: metadata.now.toISOString() } }];
}

function rename({ data, metadata }: Rename, state: ActiveMember): MemberEvent[] {
  if (state.name === data.name) return [];
  return [{ type: 'MemberRenamed', data: { memberId: state.memberId, name: data.name, renamedAt: metadata.now.toISOString() } }];
}

function changePassword({ data, metadata }: ChangePassword, state: ActiveMember): MemberEvent[] {
  if (!data.currentPasswordMatches) throw new CurrentPasswordWrong();
  return [
    {
      type: 'MemberPasswordChanged',
      data: {
        memberId: state.memberId,
        passwordHash: data.newPasswordHash,
        sessionEpoch: state.sessionEpoch + 1,
        changedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function withdraw({ metadata }: Withdraw, state: ActiveMember): MemberEvent[] {
  return [{ type: 'MemberWithdrew', data: { memberId: state.memberId, withdrawnAt: metadata.now.toISOString() } }];
}

function grantAdmin({ metadata }: GrantAdmin, state: ActiveMember): MemberEvent[] {
  if (state.roles.includes(ADMIN_ROLE)) return [];
  return [{ type: 'MemberGrantedAdmin', data: { memberId: state.memberId, grantedAt: metadata.now.toISOString() } }];
}

/** Roles travel in every access token (and a 255-character column): beyond this, grant every show. */
const MAX_SHOW_ROLES = 5;

function grantStaff({ data, metadata }: GrantStaff, state: ActiveMember): MemberEvent[] {
  const role = staffRoleFor(data.showId);
  if (state.roles.includes(role) || state.roles.includes(STAFF_ROLE)) return [];
  if (data.showId && state.roles.filter((r) => r.startsWith(`${STAFF_ROLE}:`)).length >= MAX_SHOW_ROLES)
    throw new TooManyShowRoles(MAX_SHOW_ROLES);
  return [{ type: 'MemberGrantedStaff', data: { memberId: state.memberId, role, grantedAt: metadata.now.toISOString() } }];
}

function active(state: MemberState): ActiveMember {
  if (state.status !== 'active') throw new MemberNotFound();
  return state;
}

function evolve(state: MemberState, event: MemberEvent): MemberState {
  switch (event.type) {
    case 'MemberSignedUp': {
      const { memberId, email, name, passwordHash, registeredAt } = event.data;
      return { status: 'active', memberId, email, name, passwordHash, roles: [], sessionEpoch: 0, registeredAt };
    }
    case 'MemberRenamed':
      return state.status === 'active' ? { ...state, name: event.data.name } : state;
    case 'MemberPasswordChanged':
      return state.status === 'active' ? { ...state, passwordHash: event.data.passwordHash, sessionEpoch: event.data.sessionEpoch } : state;
    case 'MemberGrantedAdmin':
      return state.status === 'active' ? { ...state, roles: [...state.roles, ADMIN_ROLE] } : state;
    case 'MemberGrantedStaff':
      return state.status === 'active' ? { ...state, roles: [...state.roles, event.data.role] } : state;
    case 'MemberWithdrew':
      return { status: 'withdrawn', memberId: event.data.memberId };
    default: {
      const never: never = event;
      throw new Error(`Unknown event ${JSON.stringify(never)}`);
    }
  }
}
