import type { Knex } from 'knex';
import type { MemberAccount, MemberDirectory } from '../../application/members/members.ports.js';
import { MEMBERS_PROJECTION } from '../../application/members/members.ports.js';
import { liveTableName } from '../engine/table-names.js';
import { ACCOUNTS } from './members.projection.js';

interface AccountRow {
  member_id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: string;
  session_epoch: number;
  registered_at: string;
}

/** How long a session epoch may be served from memory: other processes see a revocation this late. */
export const SESSION_EPOCH_CACHE_MS = 1000;

/** Look-ups in the members read model, with a short in-process cache of session epochs. */
export class SqlMemberDirectory implements MemberDirectory {
  private readonly table = liveTableName(MEMBERS_PROJECTION, ACCOUNTS);
  private readonly epochs = new Map<string, { epoch: number | undefined; until: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly cacheMs = SESSION_EPOCH_CACHE_MS,
  ) {}

  async byEmail(email: string): Promise<MemberAccount | undefined> {
    return toAccount(await this.knex<AccountRow>(this.table).where({ email }).first());
  }

  async byId(memberId: string): Promise<MemberAccount | undefined> {
    return toAccount(await this.knex<AccountRow>(this.table).where({ member_id: memberId }).first());
  }

  async sessionEpoch(memberId: string): Promise<number | undefined> {
    const now = Date.now();
    const cached = this.epochs.get(memberId);
    if (cached && cached.until > now) return cached.epoch;
    const row = await this.knex<AccountRow>(this.table).where({ member_id: memberId }).first('session_epoch');
    const epoch = row ? Number(row.session_epoch) : undefined;
    if (this.epochs.size >= 100_000) this.epochs.clear();
    this.epochs.set(memberId, { epoch, until: now + this.cacheMs });
    return epoch;
  }

  forget(memberId: string): void {
    this.epochs.delete(memberId);
  }
}

function toAccount(row: AccountRow | undefined): MemberAccount | undefined {
  if (!row) return undefined;
  return {
    memberId: row.member_id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    roles: JSON.parse(row.roles) as string[],
    sessionEpoch: Number(row.session_epoch),
    registeredAt: row.registered_at,
  };
}
