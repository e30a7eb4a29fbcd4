import { expect } from 'chai';
import { normaliseEmail } from '../../../../src/domain/members/email-address.js';
import { memberDecider } from '../../../../src/domain/members/member.decider.js';
import type { MemberCommand } from '../../../../src/domain/members/members.commands.js';
import {
  CurrentPasswordWrong,
  MemberAlreadyExists,
  MemberNotFound,
  TooManyShowRoles,
} from '../../../../src/domain/members/members.errors.js';
import type { MemberEvent } from '../../../../src/domain/members/members.events.js';
import { deciderSpec } from '../../../support/decider-spec.js';

const given = deciderSpec(memberDecider);
const memberId = '6f1c2a7e-0000-4000-8000-000000000001';
const now = new Date('2026-11-25T10:00:00.000Z');
const metadata = { now };

const signedUp: MemberEvent = {
  type: 'MemberSignedUp',
  data: { memberId, email: 'ada@example.org', name: 'Ada', passwordHash: 'hash-1', registeredAt: '2026-11-24T09:00:00.000Z' },
};
const withdrew: MemberEvent = { type: 'MemberWithdrew', data: { memberId, withdrawnAt: '2026-11-24T12:00:00.000Z' } };
const grantedAdmin: MemberEvent = { type: 'MemberGrantedAdmin', data: { memberId, grantedAt: '2026-11-24T10:00:00.000Z' } };
const passwordChanged = (sessionEpoch: number): MemberEvent => ({
  type: 'MemberPasswordChanged',
  data: { memberId, passwordHash: `hash-${sessionEpoch + 1}`, sessionEpoch, changedAt: '2026-11-24T11:00:00.000Z' },
});

const rename = (name: string): MemberCommand => ({ type: 'Rename', data: { memberId, name }, metadata });
const changePassword = (currentPasswordMatches: boolean): MemberCommand => ({
  type: 'ChangePassword',
  data: { memberId, currentPasswordMatches, newPasswordHash: 'hash-new' },
  metadata,
});
const withdraw: MemberCommand = { type: 'Withdraw', data: { memberId }, metadata };
const grantAdmin: MemberCommand = { type: 'GrantAdmin', data: { memberId }, metadata };

describe('the member decider', () => {
  describe('signing up', () => {
    const signUp: MemberCommand = {
      type: 'SignUp',
      data: { memberId, email: 'ada@example.org', name: 'Ada', passwordHash: 'hash-1' },
      metadata,
    };

    it('when nobody exists under the id, then the member signs up at the command time', () => {
      given([])
        .when(signUp)
        .then([{ type: 'MemberSignedUp', data: { ...signUp.data, registeredAt: '2026-11-25T10:00:00.000Z' } } as MemberEvent]);
    });

    it('when the member already exists, then it is rejected', () => {
      given([signedUp]).when(signUp).thenThrows(MemberAlreadyExists, 'MEMBER.ALREADY_EXISTS');
    });

    it('when the id belonged to a withdrawn member, then it is rejected', () => {
      given([signedUp, withdrew]).when(signUp).thenThrows(MemberAlreadyExists);
    });
  });

  describe('renaming', () => {
    it('when the name differs, then the member is renamed', () => {
      given([signedUp])
        .when(rename('Ada Lovelace'))
        .then([{ type: 'MemberRenamed', data: { memberId, name: 'Ada Lovelace', renamedAt: now.toISOString() } }]);
    });

    it('when the name is the same, then nothing happens', () => {
      given([signedUp]).when(rename('Ada')).then([]);
    });

    it('when the member never signed up, then it is not found', () => {
      given([]).when(rename('Ada')).thenThrows(MemberNotFound, 'MEMBER.NOT_FOUND');
    });

    it('when the member withdrew, then it is not found', () => {
      given([signedUp, withdrew]).when(rename('Ada')).thenThrows(MemberNotFound);
    });
  });

  describe('changing the password', () => {
    it('when the current password matches, then the hash changes and the session epoch moves to 1', () => {
      given([signedUp])
        .when(changePassword(true))
        .then([
          { type: 'MemberPasswordChanged', data: { memberId, passwordHash: 'hash-new', sessionEpoch: 1, changedAt: now.toISOString() } },
        ]);
    });

    it('when it changed twice before, then the epoch moves past the last one', () => {
      given([signedUp, passwordChanged(1), passwordChanged(2)])
        .when(changePassword(true))
        .then([
          { type: 'MemberPasswordChanged', data: { memberId, passwordHash: 'hash-new', sessionEpoch: 3, changedAt: now.toISOString() } },
        ]);
    });

    it('when the current password does not match, then it is rejected', () => {
      given([signedUp]).when(changePassword(false)).thenThrows(CurrentPasswordWrong, 'MEMBER.CURRENT_PASSWORD_WRONG');
    });

    it('when the member withdrew, then it is not found', () => {
      given([signedUp, withdrew]).when(changePassword(true)).thenThrows(MemberNotFound);
    });
  });

  describe('withdrawing', () => {
    it('when the member is active, then the member withdraws', () => {
      given([signedUp])
        .when(withdraw)
        .then([{ type: 'MemberWithdrew', data: { memberId, withdrawnAt: now.toISOString() } }]);
    });

    it('when the member already withdrew, then it is not found', () => {
      given([signedUp, withdrew]).when(withdraw).thenThrows(MemberNotFound);
    });
  });

  describe('granting the admin role', () => {
    it('when the member is not an admin, then the role is granted', () => {
      given([signedUp])
        .when(grantAdmin)
        .then([{ type: 'MemberGrantedAdmin', data: { memberId, grantedAt: now.toISOString() } }]);
    });

    it('when the member is an admin already, then nothing happens', () => {
      given([signedUp, grantedAdmin]).when(grantAdmin).then([]);
    });

    it('when the member never signed up, then it is not found', () => {
      given([]).when(grantAdmin).thenThrows(MemberNotFound);
    });
  });

  describe('granting the staff role', () => {
    const grantStaff = (showId?: string): MemberCommand => ({
      type: 'GrantStaff',
      data: showId ? { memberId, showId } : { memberId },
      metadata,
    });
    const grantedStaff = (role: string): MemberEvent => ({
      type: 'MemberGrantedStaff',
      data: { memberId, role, grantedAt: now.toISOString() },
    });

    it('when an admin makes a member staff of one show, then the role names the show', () => {
      given([signedUp])
        .when(grantStaff('s1'))
        .then([grantedStaff('staff:s1')]);
    });

    it('when a member is made staff of every show, then the role is staff', () => {
      given([signedUp, grantedStaff('staff:s1')])
        .when(grantStaff())
        .then([grantedStaff('staff')]);
    });

    it('when the member has the role, or staff of every show, then nothing happens', () => {
      given([signedUp, grantedStaff('staff:s1')])
        .when(grantStaff('s1'))
        .then([]);
      given([signedUp, grantedStaff('staff')])
        .when(grantStaff('s2'))
        .then([]);
    });

    it('when a member is staff of five shows one by one, then a sixth is MEMBER.TOO_MANY_SHOW_ROLES', () => {
      const five = ['a', 'b', 'c', 'd', 'e'].map((show) => grantedStaff(`staff:${show}`));
      given([signedUp, ...five])
        .when(grantStaff('f'))
        .thenThrows(TooManyShowRoles, 'MEMBER.TOO_MANY_SHOW_ROLES');
      given([signedUp, ...five])
        .when(grantStaff())
        .then([grantedStaff('staff')]);
    });

    it('when there is no such member, then it is MEMBER.NOT_FOUND', () => {
      given([signedUp, withdrew]).when(grantStaff('s1')).thenThrows(MemberNotFound);
    });
  });

  describe('the state', () => {
    it('when events are folded, then roles, epoch and name follow them', () => {
      const events: MemberEvent[] = [
        signedUp,
        grantedAdmin,
        passwordChanged(1),
        { type: 'MemberRenamed', data: { memberId, name: 'A. L.', renamedAt: now.toISOString() } },
      ];
      const state = events.reduce(memberDecider.evolve, memberDecider.initialState());
      expect(state).to.include({ status: 'active', name: 'A. L.', sessionEpoch: 1, passwordHash: 'hash-2' });
      expect(state).to.have.deep.property('roles', ['admin']);
    });
  });
});

describe('e-mail normalisation', () => {
  it('when an address has spaces and capitals, then it is trimmed and lower-cased', () => {
    expect(normaliseEmail('  Ada.Lovelace@Example.ORG \n')).to.equal('ada.lovelace@example.org');
  });
});
