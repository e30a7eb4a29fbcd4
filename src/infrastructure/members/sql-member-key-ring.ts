import type { MemberKeyRing } from '../../projections/members/member-key-ring.js';
import { destroyMemberKey, loadMemberKeys } from './member-keys.js';
import { preloadedVault } from './sql-personal-data-vault.js';

/** The member keys table, for the members projection. */
export const sqlMemberKeyRing: MemberKeyRing = {
  vaultFor: async (trx, memberIds) => preloadedVault(await loadMemberKeys(trx, memberIds)),
  destroy: (trx, memberId) => destroyMemberKey(trx, memberId),
};
