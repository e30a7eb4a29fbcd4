import { expect } from 'chai';
import type { RecordedEvent } from '../../../src/application/ports/event-store.js';
import { reservationsProjection, RESERVATIONS } from '../../../src/projections/reservations/reservations.projection.js';
import { suffixedTables } from '../../../src/projections/table-names.js';
import { backendKinds, type Backend } from './backends.js';

let position = 0;
function confirmed(reservationId: string, memberId: string): RecordedEvent {
  const data = {
    reservationId,
    memberId,
    showId: 'show-1',
    holdId: `hold-${reservationId}`,
    seats: ['A-1-1'],
    quantity: 1,
    total: 5000,
    currency: 'KRW',
    confirmedAt: '2030-01-01T00:00:00.000Z',
  };
  return { type: 'HoldConfirmed', data, position: ++position } as unknown as RecordedEvent;
}
function cancelled(reservationId: string): RecordedEvent {
  const data = { reservationId, cancelledAt: '2030-01-02T00:00:00.000Z' };
  return { type: 'ReservationCancelled', data, position: ++position } as unknown as RecordedEvent;
}

for (const kind of backendKinds) {
  describe(`the reservations projection (${kind.name})`, () => {
    let backend: Backend;
    afterEach(async () => backend?.teardown());

    it('when a batch confirms, cancels and confirms again, then every row ends as the events say, in one pass', async function () {
      backend = await kind.open(this);
      const { knex } = await backend.connect();
      const tables = suffixedTables(reservationsProjection.name, `t${Date.now() % 100000}`);
      await reservationsProjection.createTables(knex, tables);
      const events = [confirmed('r1', 'm1'), confirmed('r2', 'm2'), cancelled('r1'), confirmed('r3', 'm1'), cancelled('r3')];
      await knex.transaction((trx) => reservationsProjection.apply(events, { trx, tables }));
      const rows = await knex(tables(RESERVATIONS)).select('reservation_id', 'member_id', 'status').orderBy('reservation_id');
      expect(rows).to.deep.equal([
        { reservation_id: 'r1', member_id: 'm1', status: 'cancelled' },
        { reservation_id: 'r2', member_id: 'm2', status: 'confirmed' },
        { reservation_id: 'r3', member_id: 'm1', status: 'cancelled' },
      ]);
    });
  });
}
