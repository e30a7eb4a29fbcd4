import type { Knex } from 'knex';
import type { PersonalDataVault } from '../../application/members/members.ports.js';
import { destroyMemberKey, loadMemberKeys, MEMBER_KEYS_TABLE } from './member-keys.js';
import { newMemberKey, openWith, sealWith } from './personal-data-cipher.js';

/**
 * Member keys in the `member_keys` table of the same database. Nothing is cached: a destroyed key
 * must not live on in some process's memory.
 */
export class SqlPersonalDataVault implements PersonalDataVault {
  constructor(private readonly knex: Knex) {}

  async createKey(memberId: string): Promise<void> {
    await this.knex(MEMBER_KEYS_TABLE).insert({ member_id: memberId, secret: newMemberKey().toString('base64'), created_at: Date.now() });
  }

  async seal(memberId: string, data: Record<string, unknown>): Promise<string> {
    return sealWith(await this.key(memberId), memberId, data);
  }

  async open(memberId: string, sealed: string): Promise<Record<string, unknown> | undefined> {
    const key = (await loadMemberKeys(this.knex, [memberId])).get(memberId);
    return key ? openWith(key, memberId, sealed) : undefined;
  }

  async destroyKey(memberId: string): Promise<void> {
    await destroyMemberKey(this.knex, memberId);
  }

  private async key(memberId: string): Promise<Buffer> {
    const key = (await loadMemberKeys(this.knex, [memberId])).get(memberId);
    if (!key) throw new Error(`Member ${memberId} has no key (withdrawn)`);
    return key;
  }
}

/** A read-only vault over keys loaded beforehand (a projection batch loads them in its transaction). */
export function preloadedVault(keys: Map<string, Buffer>): Pick<PersonalDataVault, 'open'> {
  return {
    open: async (memberId, sealed) => {
      const key = keys.get(memberId);
      return key ? openWith(key, memberId, sealed) : undefined;
    },
  };
}
