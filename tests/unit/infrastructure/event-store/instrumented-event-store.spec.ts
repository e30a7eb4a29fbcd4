import { expect } from 'chai';
import { register } from 'prom-client';
import { BookingProcessor } from '../../../../src/application/booking/booking-processor.js';
import { BookingStreams } from '../../../../src/application/booking/booking-streams.js';
import { ShowStates } from '../../../../src/application/catalog/show-states.js';
import type { Correlation } from '../../../../src/application/ports/correlation.js';
import { holdIdOf } from '../../../../src/domain/booking/booking-ids.js';
import { ledgerStreamId } from '../../../../src/domain/booking/booking.events.js';
import { showDecider, showStreamId } from '../../../../src/domain/catalog/show.decider.js';
import { bookingMetrics } from '../../../../src/infrastructure/booking/booking.metrics.js';
import { InstrumentedEventStore } from '../../../../src/infrastructure/event-store/instrumented-event-store.js';
import { InMemoryEventStore } from '../../../../src/infrastructure/event-store/memory/in-memory-event-store.js';
import { currentRequestId, runInRequest } from '../../../../src/infrastructure/logging/request-context.js';
import { systemClock, uuidGenerator } from '../../../../src/infrastructure/system-clock.js';
import { noTurns } from '../../../../src/application/ports/stream-turns.js';

const correlation: Correlation = { current: currentRequestId };
const event = (type = 'Happened') => ({ id: uuidGenerator.next(), type, data: {} });

async function sampleCount(name: string, labels: Record<string, string>): Promise<number> {
  const metric = register.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  return values
    .filter(
      (v) => (v as { metricName?: string }).metricName === `${name}_count` && Object.entries(labels).every(([k, l]) => v.labels[k] === l),
    )
    .reduce((sum, v) => sum + v.value, 0);
}

describe('InstrumentedEventStore', () => {
  it('when events are appended inside a request, then they carry its id; outside one, none; a caller’s own is kept', async () => {
    const store = new InstrumentedEventStore(new InMemoryEventStore(), correlation);
    await runInRequest({ requestId: 'request-inside-01' }, () => store.append('s-1', [event()], 'no_stream'));
    await store.append('s-1', [event()], 1);
    await runInRequest({ requestId: 'request-inside-02' }, () =>
      store.appendMulti([{ streamId: 's-1', expected: 2, events: [{ ...event(), metadata: { correlationId: 'chosen-by-caller' } }] }]),
    );
    const recorded = await store.readStream('s-1');
    expect(recorded.map((e) => e.metadata.correlationId)).to.deep.equal(['request-inside-01', undefined, 'chosen-by-caller']);
  });

  it('when appends succeed or conflict, then their latency is counted by operation and outcome', async () => {
    const store = new InstrumentedEventStore(new InMemoryEventStore(), correlation);
    const before = {
      ok: await sampleCount('onsale_eventstore_append_duration_seconds', { operation: 'append', outcome: 'ok' }),
      conflict: await sampleCount('onsale_eventstore_append_duration_seconds', { operation: 'append', outcome: 'conflict' }),
      events: await sampleCount('onsale_eventstore_append_events', { operation: 'append' }),
    };
    await store.append('s-2', [event(), event(), event()], 'no_stream');
    await store.append('s-2', [event()], 'no_stream').catch(() => undefined);
    expect(await sampleCount('onsale_eventstore_append_duration_seconds', { operation: 'append', outcome: 'ok' })).to.equal(before.ok + 1);
    expect(await sampleCount('onsale_eventstore_append_duration_seconds', { operation: 'append', outcome: 'conflict' })).to.equal(
      before.conflict + 1,
    );
    expect(await sampleCount('onsale_eventstore_append_events', { operation: 'append' })).to.equal(before.events + 1);
  });

  it('when holds of two requests are folded into one booking batch, then each event carries its own request’s id', async () => {
    const store = new InstrumentedEventStore(new InMemoryEventStore(), correlation);
    const showId = uuidGenerator.next();
    const now = new Date();
    const show = {
      title: 'Batch',
      venue: 'Hall',
      startsAt: new Date(now.getTime() + 86_400_000).toISOString(),
      salesOpenAt: new Date(now.getTime() - 1000).toISOString(),
      maxTicketsPerMember: 4,
      currency: 'EUR',
      seating: { sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 10, price: 100 }] },
      queue: { enabled: false, admitPerSecond: 1, maxActive: 1 },
    };
    const scheduled = showDecider.decide({ type: 'ScheduleShow', showId, show, now }, showDecider.initialState());
    await store.append(
      showStreamId(showId),
      scheduled.map((e) => ({ id: uuidGenerator.next(), ...e })),
      'no_stream',
    );
    const processor = new BookingProcessor(
      store,
      new ShowStates(store, systemClock),
      systemClock,
      uuidGenerator,
      new BookingStreams(store),
      bookingMetrics,
      noTurns,
      correlation,
    );
    let appends = 0;
    const appendMulti = store.appendMulti.bind(store);
    store.appendMulti = (appendsOf, options) => {
      if (appendsOf.some((a) => a.streamId.startsWith('inventory-'))) appends++;
      return appendMulti(appendsOf, options);
    };
    const hold = (memberId: string, seat: string) =>
      runInRequest({ requestId: `request-of-${memberId}` }, () => {
        const holdId = holdIdOf(showId, uuidGenerator.next().replace(/-/g, '').slice(0, 16));
        return processor.execute({
          showId,
          memberId,
          parts: ['A'],
          command: (at) => ({
            type: 'HoldSeats',
            showId,
            memberId,
            holdId,
            request: { seats: [seat] },
            poolParts: ['A'],
            now: at,
            expiresAt: new Date(at.getTime() + 60_000),
          }),
          result: () => null,
          newLedgerLikely: true,
        });
      });
    await Promise.all([hold('member-one', 'A-1-1'), hold('member-two', 'A-1-2')]);
    expect(appends, 'one batch, one append').to.equal(1);
    for (const memberId of ['member-one', 'member-two']) {
      const ledger = await store.readStream(ledgerStreamId(showId, memberId));
      expect(ledger.map((e) => e.metadata.correlationId)).to.deep.equal(ledger.map(() => `request-of-${memberId}`));
    }
    const inventory = await store.readStream(`inventory-${showId}-A`);
    expect(new Set(inventory.map((e) => e.metadata.correlationId))).to.deep.equal(
      new Set(['request-of-member-one', 'request-of-member-two']),
    );
  });
});
