import type { DependencyContainer } from 'tsyringe';
import { ScheduleShowHandler } from '../../application/catalog/schedule-show.handler.js';
import type { ShowDefinition } from '../../domain/catalog/show.events.js';

/** Schedules a show through the catalogue's handler (which waits for the show list and seat map). */
export async function scheduleSeedShow(scope: DependencyContainer, show: ShowDefinition): Promise<string> {
  const { showId } = await scope.resolve(ScheduleShowHandler).handle(show);
  return showId;
}
