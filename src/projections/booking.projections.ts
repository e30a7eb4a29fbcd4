import type { DependencyContainer } from 'tsyringe';
import type { ReadCache } from '../application/ports/read-cache.js';
import { TOKENS } from '../application/tokens.js';
import type { Projection } from './projection.js';
import { reservationsProjection } from './reservations/reservations.projection.js';
import { salesProjection } from './sales/sales.projection.js';
import { seatMapProjection } from './seat-map/seat-map.projection.js';

/** The booking read models: seat map, members' reservations, sales figures. */
export function bookingProjections(container: DependencyContainer): Projection[] {
  const cache = container.resolve<ReadCache>(TOKENS.ReadCache);
  return [seatMapProjection({ cache }), reservationsProjection, salesProjection];
}
