import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export interface TicketKeyRow {
  kid: string;
  private_key: string;
  public_x: string;
  created_at: number;
  retired_at: number | null;
}

const TABLE = 'ticket_signing_keys';

/** The ticket keys in the database: every process signs with the same newest key. */
export class SqlTicketKeyRing {
  constructor(private readonly knex: Knex) {}

  async all(): Promise<TicketKeyRow[]> {
    const rows = await this.knex<TicketKeyRow>(TABLE)
      .select('*')
      .orderBy([{ column: 'created_at' }, { column: 'kid' }]);
    return rows.map((row) => ({
      ...row,
      created_at: Number(row.created_at),
      retired_at: row.retired_at === null ? null : Number(row.retired_at),
    }));
  }

  /** A new key, which signs from now on; older keys still verify until retired. */
  async rotate(now: number): Promise<string> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const kid = `k${randomBytes(5).toString('hex')}`;
    const x = publicKey.export({ format: 'jwk' }).x!;
    await this.knex(TABLE).insert({
      kid,
      private_key: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      public_x: x,
      created_at: now,
      retired_at: null,
    });
    return kid;
  }

  /** Codes signed with a retired key no longer verify. False when there is no such key. */
  async retire(kid: string, now: number): Promise<boolean> {
    return (await this.knex(TABLE).where({ kid }).whereNull('retired_at').update({ retired_at: now })) > 0;
  }
}
