import type { RecordedEvent } from '../../application/ports/event-store.js';
import { MAIL_OUTBOX_PROJECTION, type MailKind } from '../../application/mail/mail-kinds.js';
import { MEMBERS_PROJECTION } from '../../application/members/members.ports.js';
import { ACCOUNTS } from '../members/members.projection.js';
import type { Projection, ProjectionContext } from '../projection.js';
import { liveTableName } from '../table-names.js';

const KIND: Record<string, MailKind> = {
  HoldConfirmed: 'reservation-confirmed',
  ReservationCancelled: 'reservation-cancelled',
  MemberPasswordChanged: 'password-changed',
  // a waiting-list offer is mailed once its hold is placed (not when the list records the offer:
  // the hold may still fail, and then the seats go to the next member, who is the one to tell)
  HoldPlaced: 'waitlist-offer',
};

/** The mail an event asks for, if any: of all holds, only waiting-list offers are mailed. */
const kindOf = (event: RecordedEvent): MailKind | undefined =>
  event.type === 'HoldPlaced' && !(event.data as { waitlistOffer?: boolean }).waitlistOffer ? undefined : KIND[event.type];

/** Rows per INSERT: knex writes SQLite's multi-row inserts as a compound SELECT, capped at 500 terms. */
const CHUNK = 500;

/** Events older than this are not mailed: a first start or a rebuild replays the log, and old news is no mail. */
export const MAIL_MAX_AGE_MS = 24 * 3600_000;

/**
 * Writes a row of `mail_outbox` for each event that tells a member something, in the engine's
 * transaction with its checkpoint: each event's mail is queued once (a replay finds its row).
 * The recipient comes from the members read model, which has every member long before they book.
 */
export function mailOutboxProjection(now: () => number): Projection {
  return {
    name: MAIL_OUTBOX_PROJECTION,
    tables: [],
    handles: Object.keys(KIND),
    createTables: async () => undefined,
    apply: (events, context) => apply(events, context, now()),
  };
}

async function apply(events: RecordedEvent[], { trx }: ProjectionContext, now: number): Promise<void> {
  const recent = events.filter((event) => kindOf(event) && now - new Date(event.metadata.recordedAt).getTime() <= MAIL_MAX_AGE_MS);
  if (recent.length === 0) return;
  // one look-up per batch, not per event: a replay of many bookings stays a few queries
  const memberIds = [...new Set(recent.map((event) => (event.data as { memberId: string }).memberId))];
  const rows = (await trx(liveTableName(MEMBERS_PROJECTION, ACCOUNTS))
    .whereIn('member_id', memberIds)
    .select('member_id', 'email', 'name')) as Array<{ member_id: string; email: string; name: string }>;
  const members = new Map(rows.map((row) => [row.member_id, row]));
  const mails: Record<string, unknown>[] = [];
  for (const event of recent) {
    const data = event.data as Record<string, unknown> & { memberId: string };
    const member = members.get(data.memberId);
    if (!member) continue; // withdrawn since: nobody to write to
    const { passwordHash: _secret, ...facts } = data;
    mails.push({
      id: `${event.id}:${kindOf(event)}`,
      kind: kindOf(event)!,
      member_id: data.memberId,
      to_email: member.email,
      to_name: member.name,
      data: JSON.stringify(facts),
      created_at: now,
      due_at: now,
      attempts: 0,
    });
  }
  // one statement per batch, not per mail (a statement per confirmation was the booking's most frequent one)
  for (let i = 0; i < mails.length; i += CHUNK)
    await trx('mail_outbox')
      .insert(mails.slice(i, i + CHUNK))
      .onConflict('id')
      .ignore();
}
