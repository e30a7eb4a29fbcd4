import type { DependencyContainer } from 'tsyringe';
import type { EventStore } from '../../application/ports/event-store.js';
import type { Clock, IdGenerator } from '../../application/ports/clock.js';
import { TOKENS } from '../../application/tokens.js';
import { showDecider, showStreamId } from '../../domain/catalog/show.decider.js';
import type { ShowDefinition } from '../../domain/catalog/show.events.js';

/** Schedules a show through the show decider and the event store; returns its id. */
export async function scheduleSeedShow(scope: DependencyContainer, show: ShowDefinition): Promise<string> {
  const store = scope.resolve<EventStore>(TOKENS.EventStore);
  const ids = scope.resolve<IdGenerator>(TOKENS.Ids);
  const clock = scope.resolve<Clock>(TOKENS.Clock);
  const showId = ids.next();
  const events = showDecider.decide({ type: 'ScheduleShow', showId, show, now: clock.now() }, showDecider.initialState());
  await store.append(
    showStreamId(showId),
    events.map((event) => ({ id: ids.next(), type: event.type, data: event.data })),
    'no_stream',
  );
  return showId;
}
