import type { Knex } from 'knex';
import type { PersonalDataVault } from '../../application/members/members.ports.js';

/** The members' personal-data keys, read and destroyed inside the projection's transaction. */
export interface MemberKeyRing {
  /** Opens the personal data of these members, their keys read in one query. */
  vaultFor(trx: Knex.Transaction, memberIds: string[]): Promise<Pick<PersonalDataVault, 'open'>>;
  /** Destroys a withdrawn member's key (crypto-shredding), with their row. */
  destroy(trx: Knex.Transaction, memberId: string): Promise<void>;
}
