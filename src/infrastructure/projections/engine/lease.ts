import type { Knex } from 'knex';
import { isMysql } from '../../database/knex.js';

const TABLE = 'projection_leases';

export interface LeaseHolder {
  owner: string;
  expiresAt: number;
}

/** The holder changed under a runner: its batch must not commit. */
export class LeaseLost extends Error {
  constructor(name: string, owner: string) {
    super(`Lease ${name} is no longer held by ${owner}`);
  }
}

/**
 * Leases in `projection_leases`: a row per name with its owner and expiry. Only the owner may
 * renew; anyone may take a lease past its expiry. Clocks only decide when a lease may be taken
 * over; safety rests on `verify`, which locks the row inside the caller's transaction.
 */
export class LeaseStore {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes or renews the lease; false while someone else holds an unexpired one. */
  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    await this.ensureRow(name);
    const now = this.now();
    const changed = await this.knex(TABLE)
      .where({ name })
      .andWhere((q) => q.where({ owner }).orWhere('expires_at', '<', now))
      .update(this.holding(owner, now, ttlMs));
    return changed === 1;
  }

  /** Takes the lease whoever holds it (a rebuild's final catch-up and swap). */
  async steal(name: string, owner: string, ttlMs: number): Promise<void> {
    await this.ensureRow(name);
    await this.knex(TABLE)
      .where({ name })
      .update(this.holding(owner, this.now(), ttlMs));
  }

  /** Gives the lease up at once, so that another process takes over without waiting. */
  async release(name: string, owner: string): Promise<void> {
    await this.knex(TABLE).where({ name, owner }).update({ expires_at: 0 });
  }

  async holder(name: string): Promise<LeaseHolder | undefined> {
    const row = await this.knex(TABLE).where({ name }).first('owner', 'expires_at');
    if (!row || Number(row.expires_at) <= this.now()) return undefined;
    return { owner: row.owner, expiresAt: Number(row.expires_at) };
  }

  /** The unexpired leases whose names start with `prefix` (no `%` or `_` in it), by name (one query). */
  async holders(prefix: string): Promise<Map<string, LeaseHolder>> {
    const rows = (await this.knex(TABLE)
      .where('name', 'like', `${prefix}%`)
      .andWhere('expires_at', '>', this.now())
      .select('name', 'owner', 'expires_at')) as Array<{ name: string; owner: string; expires_at: number | string }>;
    return new Map(rows.map((row) => [row.name, { owner: row.owner, expiresAt: Number(row.expires_at) }]));
  }

  /**
   * Throws LeaseLost unless `owner` holds the lease, locking the row (MySQL) until `trx` ends so
   * that nobody takes it before the commit. SQLite serialises writers: a transaction that has
   * written sees the latest row.
   */
  async verify(trx: Knex.Transaction, name: string, owner: string): Promise<void> {
    const query = trx(TABLE).where({ name }).first('owner');
    const row = await (isMysql(this.knex) ? query.forUpdate() : query);
    if (row?.owner !== owner) throw new LeaseLost(name, owner);
  }

  /**
   * Moves a checkpoint row (id 1 of `checkpointTable`) from `from` to `to` only while `owner` holds
   * the lease, in one statement: the lease row is locked as `verify` locks it (MySQL only; false
   * when either the checkpoint moved or the lease is another's, and the caller tells which).
   */
  async advanceWhileHeld(
    trx: Knex.Transaction,
    checkpointTable: string,
    name: string,
    owner: string,
    from: number,
    to: number,
  ): Promise<boolean> {
    // the lease's column set to itself makes its row one this statement updates, so it is locked to the commit
    const [result] = (await trx.raw(
      `UPDATE ?? AS c JOIN ${TABLE} AS l ON l.name = ? AND l.owner = ? ` +
        'SET c.position = ?, c.updated_at = ?, l.owner = l.owner WHERE c.id = 1 AND c.position = ?',
      [checkpointTable, name, owner, to, Date.now(), from],
    )) as [{ affectedRows: number }];
    return result.affectedRows > 0;
  }

  private async ensureRow(name: string): Promise<void> {
    await this.knex(TABLE).insert({ name, owner: '', expires_at: 0, acquired_at: 0, renewals: 0 }).onConflict('name').ignore();
  }

  private holding(owner: string, now: number, ttlMs: number) {
    // acquired_at first: MySQL evaluates SET left to right, so it must see the previous owner.
    return {
      acquired_at: this.knex.raw('CASE WHEN owner = ? THEN acquired_at ELSE ? END', [owner, now]),
      owner,
      expires_at: now + ttlMs,
      renewals: this.knex.raw('renewals + 1'),
    };
  }
}
