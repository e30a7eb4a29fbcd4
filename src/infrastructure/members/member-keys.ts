import type { Knex } from 'knex';

/** The table of per-member keys (created by the members migration). */
export const MEMBER_KEYS_TABLE = 'member_keys';

/** Reads the keys of several members at once (inside a projection's transaction, or not). */
export async function loadMemberKeys(db: Knex | Knex.Transaction, memberIds: string[]): Promise<Map<string, Buffer>> {
  const keys = new Map<string, Buffer>();
  const unique = [...new Set(memberIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = (await db(MEMBER_KEYS_TABLE)
      .whereIn('member_id', unique.slice(i, i + 500))
      .select('member_id', 'secret')) as { member_id: string; secret: string }[];
    for (const row of rows) keys.set(row.member_id, Buffer.from(row.secret, 'base64'));
  }
  return keys;
}

export async function destroyMemberKey(db: Knex | Knex.Transaction, memberId: string): Promise<void> {
  await db(MEMBER_KEYS_TABLE).where({ member_id: memberId }).delete();
}
