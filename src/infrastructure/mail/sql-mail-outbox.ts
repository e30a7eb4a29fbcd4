import type { Knex } from 'knex';
import type { MailKind, OutboxMail } from '../../application/mail/mail-kinds.js';
import { isMysql } from '../database/knex.js';

interface Row {
  id: string;
  kind: MailKind;
  member_id: string;
  to_email: string;
  to_name: string;
  data: string;
  attempts: number;
}

/** The mail outbox table: claim what is due, mark it sent, or put it back for later. */
export class SqlMailOutbox {
  constructor(private readonly knex: Knex) {}

  /**
   * The withdrawal's own mail (see WithdrawalNotices). The member's other mails waiting here are
   * dropped: nobody is left to write to, and nothing but this notice may keep the address.
   */
  async queue(notice: { id: string; memberId: string; email: string; name: string }, now = Date.now()): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx('mail_outbox').where({ member_id: notice.memberId }).whereNot({ id: notice.id }).delete();
      await trx('mail_outbox')
        .insert({
          id: notice.id,
          kind: 'account-withdrawn',
          member_id: notice.memberId,
          to_email: notice.email,
          to_name: notice.name,
          data: '{}',
          created_at: now,
          due_at: now,
          attempts: 0,
        })
        .onConflict('id')
        .ignore();
    });
  }

  /**
   * Up to `limit` unsent mails that are due, oldest first, each moved `leaseMs` into the future by
   * this claim, in one transaction (two statements however many: on MySQL/MariaDB the rows are
   * locked and rows another sender holds are skipped, so two senders never take the same mail;
   * SQLite has one writer). A sender that dies before marking a mail sent leaves it to come back
   * after the lease: sent at least once.
   */
  async claim(now: number, leaseMs: number, limit = 20): Promise<OutboxMail[]> {
    return this.knex.transaction(async (trx) => {
      const due = trx<Row>('mail_outbox')
        .whereNull('sent_at')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(limit)
        .select('id', 'kind', 'member_id', 'to_email', 'to_name', 'data', 'attempts');
      const rows = (await (isMysql(trx) ? due.forUpdate().skipLocked() : due)) as Row[];
      if (rows.length === 0) return [];
      await trx('mail_outbox')
        .whereIn(
          'id',
          rows.map((row) => row.id),
        )
        .update({ due_at: now + leaseMs, attempts: trx.raw('attempts + 1') });
      return rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        memberId: row.member_id,
        toEmail: row.to_email,
        toName: row.to_name,
        data: JSON.parse(row.data) as Record<string, unknown>,
        attempts: Number(row.attempts) + 1,
      }));
    });
  }

  /** Sent: the address and name go with it, so that the outbox keeps personal data only while a mail waits. */
  async markSent(id: string, now: number): Promise<void> {
    await this.knex('mail_outbox').where({ id }).update({ sent_at: now, last_error: null, to_email: '', to_name: '' });
  }

  async failed(id: string, retryAt: number, error: string): Promise<void> {
    await this.knex('mail_outbox')
      .where({ id })
      .whereNull('sent_at')
      .update({ due_at: retryAt, last_error: error.slice(0, 500) });
  }

  /** For tests and operators: every row, oldest first. */
  async all(): Promise<Array<{ id: string; kind: string; toEmail: string; sentAt: number | null; attempts: number }>> {
    const rows = await this.knex('mail_outbox').orderBy('created_at').select('id', 'kind', 'to_email', 'sent_at', 'attempts');
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      toEmail: r.to_email,
      sentAt: r.sent_at === null ? null : Number(r.sent_at),
      attempts: Number(r.attempts),
    }));
  }
}
