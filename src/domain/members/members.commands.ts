/** When and by whom: time comes in as data, never from a clock inside the domain. */
export interface CommandMetadata {
  now: Date;
}

export interface SignUp {
  type: 'SignUp';
  data: { memberId: string; email: string; name: string; passwordHash: string };
  metadata: CommandMetadata;
}

export interface Rename {
  type: 'Rename';
  data: { memberId: string; name: string };
  metadata: CommandMetadata;
}

/** The current password is checked (a slow hash) before the command is built. */
export interface ChangePassword {
  type: 'ChangePassword';
  data: { memberId: string; currentPasswordMatches: boolean; newPasswordHash: string };
  metadata: CommandMetadata;
}

export interface Withdraw {
  type: 'Withdraw';
  data: { memberId: string };
  metadata: CommandMetadata;
}

export interface GrantAdmin {
  type: 'GrantAdmin';
  data: { memberId: string };
  metadata: CommandMetadata;
}

/** Door staff for one show (`showId`) or for every show. */
export interface GrantStaff {
  type: 'GrantStaff';
  data: { memberId: string; showId?: string };
  metadata: CommandMetadata;
}

export type MemberCommand = SignUp | Rename | ChangePassword | Withdraw | GrantAdmin | GrantStaff;
