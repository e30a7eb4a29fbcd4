import { expect } from 'chai';
import type { RecordedEvent } from '../../../src/application/ports/event-store.js';
import { MEMBERS_PROJECTION } from '../../../src/application/members/members.ports.js';
import { mailOutboxProjection } from '../../../src/projections/mail/mail-outbox.projection.js';
import { ACCOUNTS, membersProjection } from '../../../src/projections/members/members.projection.js';
import { liveTables } from '../../../src/projections/table-names.js';
import { backendKinds, type Backend } from './backends.js';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');
let position = 0;

function confirmed(holdId: string, memberId: string): RecordedEvent {
  const data = { holdId, memberId, showId: 'show-1', reservationId: `r-${holdId}`, seats: ['A-1-1'], quantity: 1 };
  const metadata = { schemaVersion: 1, recordedAt: new Date(NOW) };
  return { id: `event-${holdId}`, type: 'HoldConfirmed', streamId: 'ledger', version: 1, data, metadata, position: ++position };
}

for (const kind of backendKinds) {
  describe(`the mail outbox projection (${kind.name})`, () => {
    let backend: Backend;
    afterEach(async () => backend?.teardown());

    it('when a batch confirms three bookings, one of them seen in an earlier batch, then each confirmation has one mail row, to its member', async function () {
      backend = await kind.open(this);
      const { knex } = await backend.connect();
      const members = liveTables(MEMBERS_PROJECTION);
      await membersProjection(undefined as never).createTables(knex, members);
      const account = { password_hash: 'x', roles: '[]', session_epoch: 1, registered_at: '2030', position: 1 };
      await knex(members(ACCOUNTS)).insert([
        { member_id: 'm1', email: 'ada@example.com', name: 'Ada', ...account },
        { member_id: 'm2', email: 'bo@example.com', name: 'Bo', ...account, position: 2 },
      ]);
      const outbox = mailOutboxProjection(() => NOW);
      const [h1, h2, h3] = [confirmed('h1', 'm1'), confirmed('h2', 'm2'), confirmed('h3', 'm1')];
      await knex.transaction((trx) => outbox.apply([h1], { trx, tables: liveTables(outbox.name) }));
      // a replay of h1 (after a lost lease) comes in the same batch as new confirmations
      await knex.transaction((trx) => outbox.apply([h1, h2, h3], { trx, tables: liveTables(outbox.name) }));
      const rows = await knex('mail_outbox').select('id', 'kind', 'to_email').orderBy('id');
      expect(rows.map((row) => ({ ...row }))).to.deep.equal([
        { id: 'event-h1:reservation-confirmed', kind: 'reservation-confirmed', to_email: 'ada@example.com' },
        { id: 'event-h2:reservation-confirmed', kind: 'reservation-confirmed', to_email: 'bo@example.com' },
        { id: 'event-h3:reservation-confirmed', kind: 'reservation-confirmed', to_email: 'ada@example.com' },
      ]);
    });
  });
}
