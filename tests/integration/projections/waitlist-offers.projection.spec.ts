import { expect } from 'chai';
import type { RecordedEvent } from '../../../src/application/ports/event-store.js';
import { waitlistOffersProjection } from '../../../src/projections/waitlist/waitlist-offers.reactor-projection.js';
import { liveTables } from '../../../src/projections/table-names.js';
import { backendKinds, type Backend } from './backends.js';

const NOW = Date.parse('2030-01-01T00:00:00.000Z');
let position = 0;

function event(type: string, data: Record<string, unknown>): RecordedEvent {
  const metadata = { schemaVersion: 1, recordedAt: new Date(NOW - 1000) };
  return { id: `event-${++position}`, type, streamId: 'stream', version: 1, data, metadata, position };
}

const confirmed = (holdId: string, waitlistOffer?: boolean) =>
  event('HoldConfirmed', {
    showId: 'show-1',
    holdId,
    reservationId: `r-${holdId}`,
    ...(waitlistOffer === undefined ? {} : { waitlistOffer }),
  });

for (const kind of backendKinds) {
  describe(`the waiting list's reactor projection (${kind.name})`, () => {
    let backend: Backend;
    afterEach(async () => backend?.teardown());

    it('when a batch confirms holds, then only those that were offers, or that do not say (written before they did), are queued for the reactor', async function () {
      backend = await kind.open(this);
      const { knex } = await backend.connect();
      const acted: RecordedEvent[][] = [];
      const projection = waitlistOffersProjection({
        reactor: () => ({
          reactAll: async (events, done) => {
            acted.push(events);
            events.forEach(done);
          },
        }),
        knex: () => knex,
        now: () => NOW,
      });
      const tables = liveTables(projection.name);
      await projection.createTables(knex, tables);
      const [plain, offer, older, returned] = [
        confirmed('h1', false),
        confirmed('h2', true),
        confirmed('h3'),
        event('SeatsReleased', { showId: 'show-1', holdId: 'h4', reason: 'expired' }),
      ];
      const batch = [plain!, offer!, older!, returned!];
      await knex.transaction((trx) => projection.apply(batch, { trx, tables }));
      const queued = await knex(tables('pending')).orderBy('position').pluck('position');
      expect(queued.map(Number)).to.deep.equal([offer!.position, older!.position, returned!.position]);
      // worked off after the commit, in order, and deleted
      await projection.afterCommit!(batch);
      expect(acted.flat().map((e) => e.id)).to.deep.equal([offer!.id, older!.id, returned!.id]);
      expect(await knex(tables('pending')).count({ n: '*' })).to.deep.equal([{ n: 0 }]);
    });
  });
}
