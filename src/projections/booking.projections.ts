import type { DependencyContainer } from 'tsyringe';
import type { AdmissionGate } from '../application/ports/admission-gate.js';
import type { ReadCache } from '../application/ports/read-cache.js';
import { TOKENS } from '../application/tokens.js';
import type { Projection } from './engine/projection.js';
import { reservationsProjection } from './reservations/reservations.projection.js';
import { salesProjection } from './sales/sales.projection.js';
import { seatMapProjection } from './seat-map/seat-map.projection.js';
import { ShowQueries } from './shows/show.queries.js';
import { showsProjection } from './shows/shows.projection.js';

/** The catalogue and booking read models: show list, seat map, members' reservations, sales figures. */
export function bookingProjections(container: DependencyContainer): Projection[] {
  const cache = container.resolve<ReadCache>(TOKENS.ReadCache);
  const gate = container.resolve<AdmissionGate>(TOKENS.AdmissionGate);
  const shows = container.resolve(ShowQueries);
  return [
    showsProjection({ cache, gate, remaining: (showId) => shows.remaining(showId) }),
    seatMapProjection({ cache }),
    reservationsProjection,
    salesProjection,
  ];
}
