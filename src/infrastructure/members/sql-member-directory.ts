import type { Knex } from 'knex';
import type { MemberAccount, MemberDirectory } from '../../application/members/members.ports.js';
import { MEMBERS_PROJECTION } from '../../application/members/members.ports.js';
import { liveTableName } from '../../projections/table-names.js';
import { ExpiringMap } from '../expiring-map.js';
import { TickBatcher } from '../tick-batcher.js';
import { ACCOUNTS } from '../../projections/members/members.projection.js';
import { ADMIN_ROLE } from '../../domain/members/members.events.js';

interface AccountRow {
  member_id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: string;
  session_epoch: number;
  registered_at: string;
}

/**
 * How long a session epoch may be served from memory. Changes are announced to every process at
 * once (a broadcast); this bound only matters when an announcement is lost.
 */
export const SESSION_EPOCH_CACHE_MS = 30_000;

/** Where this directory hears that other processes changed a member's sessions. */
export interface RevocationFeed {
  announce(memberId: string): void;
  listen(listener: (memberId: string) => void): void;
}

/** Look-ups in the members read model, with a short in-process cache of session epochs. */
export class SqlMemberDirectory implements MemberDirectory {
  private readonly table = liveTableName(MEMBERS_PROJECTION, ACCOUNTS);
  // `{ epoch: undefined }` remembers a member that does not exist (withdrawn) as well
  private readonly epochs = new ExpiringMap<{ epoch: number | undefined }>(100_000);
  // an on-sale burst brings many members not seen for a while at once: one query for all of them,
  // and one out at a time, so that a burst's members wait for the next query together instead of
  // each turn of the event loop sending one of its own (0.54 statements a join in a crowd, else)
  private readonly epochLookups = new TickBatcher<undefined, string, number | undefined>((_, memberIds) => this.loadEpochs(memberIds), {
    maxInFlight: 1,
  });

  constructor(
    private readonly knex: Knex,
    private readonly revocations?: RevocationFeed,
    private readonly cacheMs = SESSION_EPOCH_CACHE_MS,
  ) {
    revocations?.listen((memberId) => this.epochs.delete(memberId));
  }

  async byEmail(email: string): Promise<MemberAccount | undefined> {
    return toAccount(await this.knex<AccountRow>(this.table).where({ email }).first());
  }

  async byId(memberId: string): Promise<MemberAccount | undefined> {
    return toAccount(await this.knex<AccountRow>(this.table).where({ member_id: memberId }).first());
  }

  async hasAdmin(): Promise<boolean> {
    // roles is a JSON array of a few short names; an admin's holds the quoted name
    return (await this.knex(this.table).where('roles', 'like', `%"${ADMIN_ROLE}"%`).first('member_id')) !== undefined;
  }

  async sessionEpoch(memberId: string): Promise<number | undefined> {
    const now = Date.now();
    const cached = this.epochs.get(memberId, now);
    if (cached) return cached.epoch;
    const epoch = await this.epochLookups.get('', undefined, memberId);
    this.epochs.set(memberId, { epoch }, now + this.cacheMs);
    return epoch;
  }

  private async loadEpochs(memberIds: string[]): Promise<(number | undefined)[]> {
    const rows = await this.knex<AccountRow>(this.table)
      .whereIn('member_id', [...new Set(memberIds)])
      .select('member_id', 'session_epoch');
    const epochs = new Map(rows.map((row) => [row.member_id, Number(row.session_epoch)]));
    return memberIds.map((memberId) => epochs.get(memberId));
  }

  /** Drops the member's cached epoch here and, through the revocation feed, in every process. */
  forget(memberId: string): void {
    this.epochs.delete(memberId);
    this.revocations?.announce(memberId);
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
