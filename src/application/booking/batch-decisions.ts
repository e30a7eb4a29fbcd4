import { bookingDecider, type BookingState } from '../../domain/booking/booking.decider.js';
import { inventoryStreamId, isInventoryEvent, ledgerStreamId, type BookingEvent } from '../../domain/booking/booking.events.js';
import type { ShowState } from '../../domain/catalog/show.decider.js';
import type { IdGenerator } from '../ports/clock.js';
import type { NewEvent, StreamAppend } from '../ports/event-store.js';
import type { Decision, QueuedJob } from './booking-job.js';

/** Decides one command on the batch's working states; its events change them for the next. */
export function decideOne(queued: QueuedJob, show: ShowState, working: Map<string, unknown>, now: Date): Decision {
  const { job } = queued;
  const [ledgerId, ...inventoryIds] = queued.streams;
  const state: BookingState = {
    show,
    ledger: working.get(ledgerId!) as BookingState['ledger'],
    inventory: Object.fromEntries(job.parts.map((part, i) => [part, working.get(inventoryIds[i]!) as BookingState['inventory'][string]])),
  };
  try {
    const events = bookingDecider.decide(job.command(now), state) as BookingEvent[];
    const stray = events.find((event) => isInventoryEvent(event) && !job.parts.includes(event.data.part));
    if (stray) throw new Error(`The command touched an inventory part it did not declare: ${JSON.stringify(stray.data)}`);
    for (const event of events) bookingDecider.evolve(state, event);
    return { queued, events, result: job.result(state, events) };
  } catch (error) {
    return { queued, error };
  }
}

/** The batch's events as one append per stream, each expecting the version it was decided on. */
export function appendsOf(decisions: Decision[], versions: Map<string, number>, ids: IdGenerator): StreamAppend[] {
  const byStream = new Map<string, NewEvent[]>();
  for (const decision of decisions) {
    if (!('events' in decision)) continue;
    const { job } = decision.queued;
    decision.events.forEach((event, index) => {
      const streamId = isInventoryEvent(event) ? inventoryStreamId(job.showId, event.data.part) : ledgerStreamId(job.showId, job.memberId);
      const list = byStream.get(streamId) ?? [];
      // the correlation id is set even when undefined: the batch runs in one request's context, and
      // the store stamps events that carry none with the id of the context they are appended in
      const metadata = { correlationId: decision.queued.correlationId };
      list.push({ id: job.eventId ? job.eventId(index) : ids.next(), type: event.type, data: event.data, metadata });
      byStream.set(streamId, list);
    });
  }
  const appends: StreamAppend[] = [...byStream].map(([streamId, events]) => {
    const version = versions.get(streamId) ?? 0;
    return { streamId, events, expected: version === 0 ? 'no_stream' : version };
  });
  const guarded = new Set<string>();
  for (const decision of decisions) {
    if (!('events' in decision) || decision.events.length === 0) continue;
    for (const { streamId, version } of decision.queued.job.guards ?? []) {
      if (guarded.has(streamId)) continue;
      guarded.add(streamId);
      appends.push({ streamId, events: [], expected: version === 0 ? 'no_stream' : version });
    }
  }
  return appends;
}

/** The batch's commands that were decided on `streamId` as a guard (not one of their own streams). */
export function guardedBy(streamId: string, batch: QueuedJob[]): QueuedJob[] {
  return batch.filter((queued) => queued.job.guards?.some((guard) => guard.streamId === streamId));
}

/**
 * What to re-read after an append lost on `streamId`. A member's ledger that moved on means that
 * member booked through another process, and so may the batch's other members have (a burst spreads
 * each member's requests over the processes): all of the batch's ledgers are re-read at once, in
 * parallel, rather than learnt of one lost append at a time, which for a large batch would use up
 * its attempts on other members' ledgers (503 BOOKING.BUSY for everyone in it).
 */
export function toReRead(streamId: string, batch: QueuedJob[]): Set<string> {
  const ledgers = batch.map((queued) => queued.streams[0]!);
  return ledgers.includes(streamId) ? new Set(ledgers) : new Set([streamId]);
}
