import type { Knex } from 'knex';
import { openMemberEvent } from '../../application/members/member-event-codec.js';
import { MEMBERS_PROJECTION } from '../../application/members/members.ports.js';
import type { RecordedEvent } from '../../application/ports/event-store.js';
import { ADMIN_ROLE, MEMBER_EVENT_TYPES, type MemberEvent } from '../../domain/members/members.events.js';
import type { Projection, ProjectionContext, TableNames } from '../projection.js';
import type { MemberKeyRing } from './member-key-ring.js';

/** Logical table: one row per active member; a withdrawn member's row is deleted. */
export const ACCOUNTS = 'accounts';

/**
 * The members read model: what log-in, tokens and profiles need. Personal data is opened with the
 * member's key; a member whose key is gone (withdrawn) gets no row, also in a rebuild.
 */
export function membersProjection(keys: MemberKeyRing): Projection {
  return {
    name: MEMBERS_PROJECTION,
    tables: [ACCOUNTS],
    handles: MEMBER_EVENT_TYPES,
    createTables,
    apply: (events, context) => apply(events, context, keys),
  };
}

async function createTables(knex: Knex, tables: TableNames): Promise<void> {
  const table = tables(ACCOUNTS);
  await knex.schema.createTable(table, (t) => {
    t.string('member_id', 64).notNullable().primary();
    t.string('email', 254)
      .notNullable()
      .unique({ indexName: `${table}_email_unique` });
    t.string('name', 200).notNullable();
    t.string('password_hash', 255).notNullable();
    // JSON array of role names.
    t.string('roles', 255).notNullable();
    t.integer('session_epoch').notNullable();
    t.string('registered_at', 30).notNullable();
    t.bigInteger('position').notNullable();
  });
}

async function apply(events: RecordedEvent[], { trx, tables }: ProjectionContext, keys: MemberKeyRing): Promise<void> {
  const table = tables(ACCOUNTS);
  const vault = await keys.vaultFor(
    trx,
    events.map((event) => (event.data as { memberId: string }).memberId),
  );
  for (const recorded of events) {
    const { event, forgotten } = await openMemberEvent(recorded, vault);
    await applyOne(trx, table, event, forgotten, recorded.position, keys);
  }
}

async function applyOne(
  trx: Knex.Transaction,
  table: string,
  event: MemberEvent,
  forgotten: boolean,
  position: number,
  keys: MemberKeyRing,
): Promise<void> {
  const row = trx(table).where({ member_id: event.data.memberId });
  switch (event.type) {
    case 'MemberSignedUp': {
      if (forgotten) return;
      const { memberId, email, name, passwordHash, registeredAt } = event.data;
      await trx(table).insert({
        member_id: memberId,
        email,
        name,
        password_hash: passwordHash,
        roles: '[]',
        session_epoch: 0,
        registered_at: registeredAt,
        position,
      });
      return;
    }
    case 'MemberRenamed':
      if (!forgotten) await row.update({ name: event.data.name, position });
      return;
    case 'MemberPasswordChanged':
      if (!forgotten) await row.update({ password_hash: event.data.passwordHash, session_epoch: event.data.sessionEpoch, position });
      return;
    case 'MemberGrantedAdmin':
      await addRole(trx, table, event.data.memberId, ADMIN_ROLE, position);
      return;
    case 'MemberGrantedStaff':
      await addRole(trx, table, event.data.memberId, event.data.role, position);
      return;
    case 'MemberWithdrew':
      await row.delete();
      // Also here, in case the withdrawing process stopped before it destroyed the key.
      await keys.destroy(trx, event.data.memberId);
      return;
    default: {
      const never: never = event;
      throw new Error(`Unhandled member event ${JSON.stringify(never)}`);
    }
  }
}

async function addRole(trx: Knex.Transaction, table: string, memberId: string, role: string, position: number): Promise<void> {
  const found = (await trx(table).where({ member_id: memberId }).first('roles')) as { roles: string } | undefined;
  if (!found) return;
  const roles = JSON.parse(found.roles) as string[];
  if (!roles.includes(role)) roles.push(role);
  await trx(table)
    .where({ member_id: memberId })
    .update({ roles: JSON.stringify(roles), position });
}
